import { MigrationInterface, QueryRunner } from "typeorm"
import { INLINE_FUNCTIONS, inlineFunctionsSql, UNACCENT_SCHEMA_SQL } from "../lib/search-schema"

/**
 * Inlinable copies of the normalising functions, for ranking (see
 * inlineFunctionsSql in lib/search-schema). New functions only: no table or
 * index is touched.
 */
export class CustomerSearchInlineRanking1764400000006 implements MigrationInterface {
  name = "CustomerSearchInlineRanking1764400000006"

  public async up(queryRunner: QueryRunner): Promise<void> {
    const [{ schema }] = await queryRunner.query(UNACCENT_SCHEMA_SQL)
    for (const sql of inlineFunctionsSql(schema)) await queryRunner.query(sql)
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const signature of INLINE_FUNCTIONS) await queryRunner.query(`DROP FUNCTION IF EXISTS ${signature}`)
  }
}
