import { createHash } from "crypto"
import { EntityManager, QueryFailedError, QueryRunnerAlreadyReleasedError } from "typeorm"
import type { Statement } from "./customer-search"

/** The part of node-postgres' client this uses: a query by config, named to be prepared once per connection. */
type PgClient = { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }> }

/**
 * How many statement texts are prepared at most (on each pool connection, server-side):
 * the statements sent as prepared are of a bounded number of shapes (the columns an update
 * writes, the relations a read joins); past this, a text is sent unprepared, as TypeORM does.
 */
const MAX_PREPARED = 200
const prepared = new Set<string>()

/** The name a text is prepared under: the same text, the same name, on every connection. */
function statementName(sql: string): string | undefined {
  const name = `mpc_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`
  if (prepared.has(name)) return name
  if (prepared.size >= MAX_PREPARED) return undefined
  prepared.add(name)
  return name
}

/**
 * Runs a statement the plugin sends on every request of a kind (an update, a customer read)
 * as a prepared statement of the connection: PostgreSQL parses it once per connection and,
 * once its generic plan is as good as a fresh one, stops planning it (both cost more than
 * executing these statements). As `manager.query` otherwise: the transaction's connection or
 * one of the pool's, the store's query logger, a QueryFailedError carrying the driver's code.
 * Returns the rows of a statement whose result is rows (a SELECT, a WITH … SELECT).
 * `options.preparedStatements: false` (a PgBouncer in transaction mode before 1.21) sends
 * every statement unprepared.
 */
export async function queryPrepared(manager: EntityManager, { sql, params }: Statement, usePrepared: boolean): Promise<Record<string, unknown>[]> {
  const name = usePrepared ? statementName(sql) : undefined
  if (!name) return (await manager.query(sql, params)) as Record<string, unknown>[]
  if (manager.queryRunner?.isReleased) throw new QueryRunnerAlreadyReleasedError()
  const runner = manager.queryRunner ?? manager.connection.createQueryRunner()
  try {
    const client = (await runner.connect()) as PgClient
    manager.connection.logger.logQuery(sql, params, runner)
    try {
      return (await client.query({ name, text: sql, values: params })).rows
    } catch (err) {
      manager.connection.logger.logQueryError(err as Error, sql, params, runner)
      throw new QueryFailedError(sql, params, err)
    }
  } finally {
    if (!manager.queryRunner) await runner.release()
  }
}
