import type { Logger } from "@medusajs/medusa"
import type { DataSource, QueryRunner } from "typeorm"
import { CHANGES_FN_SIGNATURE } from "../queries/customer-history"
import { DUPLICATE_TABLE, EMAIL_UNIQUE_INDEX, emailUniqueIndexSql } from "./email-unique"
import { backfillSearchTexts } from "./search-columns"
import { createIndexSql, NORM_FN, SEARCH_INDEXES } from "./search-schema"

/** Every index the plugin's migrations may leave to the concurrent builder, with how to build it. */
const PLANNED_INDEXES: { name: string; sql: string }[] = [
  ...SEARCH_INDEXES.map((index) => ({ name: index.name, sql: createIndexSql(index, true) })),
  { name: EMAIL_UNIQUE_INDEX, sql: emailUniqueIndexSql(true) },
]

/** Advisory lock key: one builder across every instance sharing the database. */
export const SEARCH_INDEX_LOCK_KEY = 7_351_420_001

type IndexState = { name: string; valid: boolean }

async function indexStates(runner: QueryRunner, names: string[]): Promise<IndexState[]> {
  return await runner.query(
    `SELECT c.relname AS name, i.indisvalid AS valid
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = ANY($1)`,
    [names]
  )
}

/**
 * Builds the search indexes the migration left out (a large customer table) or
 * that an interrupted concurrent build left invalid, with
 * `CREATE INDEX CONCURRENTLY`: reads and writes go on meanwhile. First fills
 * the stored search texts of rows without them (written before the migration,
 * or with triggers disabled), in batches. Safe to call from several instances
 * at once; never throws (failures are logged). Returns the names of the
 * indexes it built.
 */
export async function ensureSearchIndexes(dataSource: DataSource, logger: Logger): Promise<string[]> {
  const runner = dataSource.createQueryRunner()
  const built: string[] = []
  let locked = false
  try {
    await runner.connect()
    const [{ ready, current }] = await runner.query(
      `SELECT to_regproc($1) IS NOT NULL AND to_regclass($2) IS NOT NULL
              AND EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'customer'::regclass AND attname = 'search_name' AND NOT attisdropped) AS ready,
              to_regprocedure($3) IS NOT NULL AS current`,
      [NORM_FN, DUPLICATE_TABLE, CHANGES_FN_SIGNATURE]
    )
    if (!ready || !current) {
      logger.warn("[medusa-plugin-customers] the plugin's schema is missing or not current: run `medusa migrations run`")
    }
    if (!ready) return built
    const states = await indexStates(runner, PLANNED_INDEXES.map((index) => index.name))
    const todo = PLANNED_INDEXES.filter((index) => !states.some((s) => s.name === index.name && s.valid))
    // rows loaded with triggers disabled (a bulk import) have no stored texts either
    const [{ unfilled }] = await runner.query(`SELECT EXISTS (SELECT 1 FROM customer WHERE search_name IS NULL) AS unfilled`)
    if (todo.length === 0 && !unfilled) return built

    ;[{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [SEARCH_INDEX_LOCK_KEY])
    if (!locked) return built // another instance is building them

    if (unfilled) {
      const started = Date.now()
      const filled = await backfillSearchTexts(runner)
      if (filled) logger.info(`[medusa-plugin-customers] stored the search texts of ${filled} customers in ${Date.now() - started} ms`)
    }
    for (const index of todo) {
      const started = Date.now()
      if (states.some((s) => s.name === index.name && !s.valid)) {
        await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS "${index.name}"`)
      }
      logger.info(`[medusa-plugin-customers] building ${index.name} concurrently`)
      await runner.query(index.sql)
      built.push(index.name)
      logger.info(`[medusa-plugin-customers] built ${index.name} in ${Date.now() - started} ms`)
    }
    return built
  } catch (err) {
    logger.warn(`[medusa-plugin-customers] search index build stopped: ${(err as Error).message}`)
    return built
  } finally {
    if (locked) await runner.query(`SELECT pg_advisory_unlock($1)`, [SEARCH_INDEX_LOCK_KEY]).catch(() => undefined)
    await runner.release().catch(() => undefined)
  }
}
