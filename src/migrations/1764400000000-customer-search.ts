import { MigrationInterface, QueryRunner } from "typeorm"
import {
  createIndexSql,
  DIGITS_FN,
  functionsSql,
  buildsIndexesInline,
  NAME_DOC_FN,
  NORM_FN,
  LEGACY_SEARCH_INDEXES,
  UNACCENT_SCHEMA_SQL,
} from "../lib/search-schema"
import { counterSql, dropCounterSql } from "../lib/customer-count"

/**
 * Search and counting for the admin customers list: normalising functions,
 * trigram and ordering indexes, and trigger-kept counters.
 *
 * Medusa runs all pending migrations in one transaction, where
 * `CREATE INDEX CONCURRENTLY` is impossible. So the indexes are built here only
 * while the customer table is small (≤ INLINE_INDEX_MAX_ROWS rows, seconds of
 * blocked writes at most); on a larger table the plugin builds them at start-up
 * with `CREATE INDEX CONCURRENTLY`, which never blocks writes.
 */
export class CustomerSearch1764400000000 implements MigrationInterface {
  name = "CustomerSearch1764400000000"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`)
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`)
    const [{ schema }] = await queryRunner.query(UNACCENT_SCHEMA_SQL)
    for (const sql of functionsSql(schema)) await queryRunner.query(sql)
    for (const sql of counterSql) await queryRunner.query(sql)

    if (await buildsIndexesInline(queryRunner)) {
      for (const index of LEGACY_SEARCH_INDEXES) await queryRunner.query(createIndexSql(index, false))
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of LEGACY_SEARCH_INDEXES) await queryRunner.query(`DROP INDEX IF EXISTS "${index.name}"`)
    for (const sql of dropCounterSql) await queryRunner.query(sql)
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${NAME_DOC_FN}(text, text)`)
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${DIGITS_FN}(text)`)
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${NORM_FN}(text)`)
  }
}
