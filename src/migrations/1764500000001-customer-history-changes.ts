import { MigrationInterface, QueryRunner } from "typeorm"
import { CHANGES_FN_SIGNATURE, CHANGES_FUNCTION_SQL } from "../queries/customer-history"

/** The function a history entry's `changes` are computed by (queries/customer-history.ts). */
export class CustomerHistoryChanges1764500000001 implements MigrationInterface {
  name = "CustomerHistoryChanges1764500000001"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(CHANGES_FUNCTION_SQL)
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${CHANGES_FN_SIGNATURE}`)
  }
}
