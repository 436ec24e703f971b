import type { Logger } from "@medusajs/medusa"
import type { DataSource, QueryRunner } from "typeorm"
import { createIndexSql, NORM_FN, SEARCH_INDEXES } from "./search-schema"

/** Advisory lock key: one builder across every instance sharing the database. */
const LOCK_KEY = 7_351_420_001

type IndexState = { name: string; valid: boolean }

async function indexStates(runner: QueryRunner): Promise<IndexState[]> {
  const rows: { name: string; valid: boolean }[] = await runner.query(
    `SELECT c.relname AS name, i.indisvalid AS valid
       FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = ANY($1)`,
    [SEARCH_INDEXES.map((index) => index.name)]
  )
  return rows
}

/**
 * Builds the search indexes the migration left out (a large customer table) or
 * that an interrupted concurrent build left invalid, with
 * `CREATE INDEX CONCURRENTLY`: reads and writes go on meanwhile. Safe to call
 * from several instances at once; never throws (failures are logged).
 * Returns the names of the indexes it built.
 */
export async function ensureSearchIndexes(dataSource: DataSource, logger: Logger): Promise<string[]> {
  const runner = dataSource.createQueryRunner()
  const built: string[] = []
  let locked = false
  try {
    await runner.connect()
    const [{ ready }] = await runner.query(`SELECT to_regproc($1) IS NOT NULL AS ready`, [NORM_FN])
    if (!ready) {
      logger.warn("[medusa-plugin-customers] search functions missing: run `medusa migrations run`")
      return built
    }
    const states = await indexStates(runner)
    const todo = SEARCH_INDEXES.filter((index) => !states.some((s) => s.name === index.name && s.valid))
    if (todo.length === 0) return built

    ;[{ locked }] = await runner.query(`SELECT pg_try_advisory_lock($1) AS locked`, [LOCK_KEY])
    if (!locked) return built // another instance is building them

    for (const index of todo) {
      const started = Date.now()
      if (states.some((s) => s.name === index.name && !s.valid)) {
        await runner.query(`DROP INDEX CONCURRENTLY IF EXISTS "${index.name}"`)
      }
      logger.info(`[medusa-plugin-customers] building ${index.name} concurrently`)
      await runner.query(createIndexSql(index, true))
      built.push(index.name)
      logger.info(`[medusa-plugin-customers] built ${index.name} in ${Date.now() - started} ms`)
    }
    return built
  } catch (err) {
    logger.warn(`[medusa-plugin-customers] search index build stopped: ${(err as Error).message}`)
    return built
  } finally {
    if (locked) await runner.query(`SELECT pg_advisory_unlock($1)`, [LOCK_KEY]).catch(() => undefined)
    await runner.release().catch(() => undefined)
  }
}
