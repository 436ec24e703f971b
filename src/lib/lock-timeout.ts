import type { QueryRunner } from "typeorm"

/** How long an ALTER TABLE of `customer` waits for its lock. */
export const ALTER_LOCK_TIMEOUT = "5s"

/**
 * Runs `statements` (ALTER TABLE customer …, catalogue changes only) waiting at
 * most ALTER_LOCK_TIMEOUT for their moment of exclusive access: behind a long
 * query they give up, failing the migration (to be run again), rather than
 * queue every read and write of customers behind them. The setting is local to
 * the migrations' transaction and restored after.
 */
export async function alterWithLockTimeout(runner: Pick<QueryRunner, "query">, statements: string[]): Promise<void> {
  const [{ previous }] = await runner.query(`SELECT current_setting('lock_timeout') AS previous`)
  await runner.query(`SELECT set_config('lock_timeout', $1, true)`, [ALTER_LOCK_TIMEOUT])
  for (const sql of statements) await runner.query(sql)
  await runner.query(`SELECT set_config('lock_timeout', $1, true)`, [previous])
}
