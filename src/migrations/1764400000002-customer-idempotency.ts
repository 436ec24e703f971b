import { MigrationInterface, QueryRunner } from "typeorm"
import { IDEMPOTENCY_TABLE, idempotencyTableSql } from "../lib/idempotency"

/** Responses of `POST /admin/customers` by Idempotency-Key, for safe client retries. */
export class CustomerIdempotency1764400000002 implements MigrationInterface {
  name = "CustomerIdempotency1764400000002"

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const sql of idempotencyTableSql) await queryRunner.query(sql)
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS ${IDEMPOTENCY_TABLE}`)
  }
}
