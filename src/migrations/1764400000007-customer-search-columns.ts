import { MigrationInterface, QueryRunner } from "typeorm"
import { backfillSearchTexts, dropSearchColumnsSql, searchColumnsSql } from "../lib/search-columns"
import { buildsIndexesInline, createIndexSql, LEGACY_SEARCH_INDEXES, SEARCH_INDEXES, TRIGRAM_INDEXES } from "../lib/search-schema"

/**
 * Stored search texts (lib/search-columns): columns and the trigger that fills
 * them, on any table (catalogue changes only). On a small table (≤
 * INLINE_INDEX_MAX_ROWS rows) the existing rows are filled and the trigram
 * indexes moved to the columns here; on a larger one the plugin does both at
 * start-up (lib/search-indexes), in batches and concurrently, and searches use
 * the expression indexes until it is done.
 */
const LOCK_TIMEOUT = "5s"

export class CustomerSearchColumns1764400000007 implements MigrationInterface {
  name = "CustomerSearchColumns1764400000007"

  public async up(queryRunner: QueryRunner): Promise<void> {
    // ADD COLUMN needs a moment of exclusive access: behind a long query, give up (and fail the
    // migration, to be run again) rather than queue every read and write of customers behind it
    const [{ previous }] = await queryRunner.query(`SELECT current_setting('lock_timeout') AS previous`)
    await queryRunner.query(`SELECT set_config('lock_timeout', $1, true)`, [LOCK_TIMEOUT])
    for (const sql of searchColumnsSql) await queryRunner.query(sql)
    await queryRunner.query(`SELECT set_config('lock_timeout', $1, true)`, [previous])
    if (!(await buildsIndexesInline(queryRunner))) return
    await backfillSearchTexts(queryRunner)
    for (const index of SEARCH_INDEXES) await queryRunner.query(createIndexSql(index, false))
    for (const name of TRIGRAM_INDEXES) await queryRunner.query(`DROP INDEX IF EXISTS "${name}"`)
  }

  /** Rebuilds the expression indexes inline: on a large table, writes wait for the build. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of LEGACY_SEARCH_INDEXES) await queryRunner.query(createIndexSql(index, false))
    for (const index of SEARCH_INDEXES) {
      if (!LEGACY_SEARCH_INDEXES.some((legacy) => legacy.name === index.name)) await queryRunner.query(`DROP INDEX IF EXISTS "${index.name}"`)
    }
    for (const sql of dropSearchColumnsSql) await queryRunner.query(sql)
  }
}
