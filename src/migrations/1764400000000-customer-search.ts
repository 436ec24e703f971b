import { MigrationInterface, QueryRunner } from "typeorm"
import { counterSql, dropCounterSql } from "../lib/customer-count"
import { createExtensions, dropCreatedExtensions } from "../lib/extensions"
import { alterWithLockTimeout } from "../lib/lock-timeout"
import { backfillSearchTexts, dropSearchColumnsSql, searchColumnsSql } from "../lib/search-columns"
import { buildsIndexesInline, createIndexSql, functionsSql, SEARCH_FUNCTIONS, SEARCH_INDEXES, UNACCENT_SCHEMA_SQL } from "../lib/search-schema"

/**
 * Search and counting for the admin customers list: the extensions pg_trgm
 * and unaccent (created if missing), the normalising functions, the stored
 * search texts and their trigger (lib/search-columns), the trigger-kept
 * counters (lib/customer-count), and the search and ordering indexes.
 *
 * Medusa runs all pending migrations in one transaction, where
 * `CREATE INDEX CONCURRENTLY` is impossible. So the texts of existing rows are
 * filled and the indexes built here only while the customer table is small
 * (≤ INLINE_INDEX_MAX_ROWS rows: seconds of blocked writes at most); on a
 * larger table the plugin does both at start-up (lib/search-indexes), in
 * batches and with `CREATE INDEX CONCURRENTLY`, which never block writes.
 * Searches find every customer meanwhile, only slower.
 */
export class CustomerSearch1764400000000 implements MigrationInterface {
  name = "CustomerSearch1764400000000"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await createExtensions(queryRunner)
    const [{ schema }] = await queryRunner.query(UNACCENT_SCHEMA_SQL)
    for (const sql of functionsSql(schema)) await queryRunner.query(sql)
    await alterWithLockTimeout(queryRunner, searchColumnsSql)
    for (const sql of counterSql) await queryRunner.query(sql)
    if (!(await buildsIndexesInline(queryRunner))) return
    await backfillSearchTexts(queryRunner)
    for (const index of SEARCH_INDEXES) await queryRunner.query(createIndexSql(index, false))
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of SEARCH_INDEXES) await queryRunner.query(`DROP INDEX IF EXISTS "${index.name}"`)
    for (const sql of dropCounterSql) await queryRunner.query(sql)
    await alterWithLockTimeout(queryRunner, dropSearchColumnsSql)
    for (const signature of SEARCH_FUNCTIONS) await queryRunner.query(`DROP FUNCTION IF EXISTS ${signature}`)
    await dropCreatedExtensions(queryRunner)
  }
}
