import { createHash } from "crypto"
import { EntityManager, QueryFailedError, QueryRunnerProviderAlreadyReleasedError } from "typeorm"
import type { Statement } from "./customer-search"

/** The part of node-postgres' client this uses: a query by config, named to be prepared once per connection. */
type PgClient = { query(config: { name: string; text: string; values: unknown[] }): Promise<{ rows: Record<string, unknown>[] }> }

/**
 * How many statement texts are prepared at most (on each pool connection, server-side). The
 * statements sent prepared have a bounded number of shapes: the columns an update writes and the
 * relations a read joins, each in a fixed order; past this, a text is sent unprepared, as TypeORM does.
 */
const MAX_PREPARED = 100
/** Each prepared text's hash, the part of its name that stays the same. */
const prepared = new Map<string, string>()

/**
 * Part of every name: moved on when a prepared statement has gone stale on a connection, so every
 * connection prepares its statements again, under new names.
 */
let generation = 0

/** The name `sql` is prepared under now (the same text, the same name, on every connection), or undefined past the cap. */
function statementName(sql: string): string | undefined {
  let hash = prepared.get(sql)
  if (hash === undefined) {
    if (prepared.size >= MAX_PREPARED) return undefined
    hash = createHash("sha1").update(sql).digest("hex").slice(0, 24)
    prepared.set(sql, hash)
  }
  return `mpc_${generation}_${hash}`
}

/**
 * A prepared statement that no longer works on its connection, while the same text prepared
 * afresh would: a migration changed the type of a column it returns (PostgreSQL keeps a prepared
 * statement's result types), or something dropped it (`DISCARD ALL`, `DEALLOCATE`).
 */
function isStale(err: unknown): boolean {
  const { code, message } = ((err as QueryFailedError).driverError ?? {}) as { code?: string; message?: string }
  return code === "26000" || (code === "0A000" && message === "cached plan must not change result type")
}

async function runNamed(manager: EntityManager, name: string, { sql, params }: Statement): Promise<Record<string, unknown>[]> {
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

/**
 * Runs a statement the plugin sends on every request of a kind (an update, a customer read)
 * as a prepared statement of the connection: PostgreSQL parses it once per connection and,
 * once its generic plan is as good as a fresh one, stops planning it (both cost more than
 * executing these statements). As `manager.query` otherwise: the transaction's connection or
 * one of the pool's, the store's query logger, a QueryFailedError carrying the driver's code.
 * Returns the rows of a statement whose result is rows (a SELECT, a WITH … SELECT).
 * A statement gone stale (isStale) is prepared afresh on every connection from then on; outside
 * a transaction the statement is sent again at once, inside one the error is the caller's (the
 * transaction failed with it). `usePrepared: false` (options.preparedStatements, for a pooler
 * that does not keep prepared statements) sends every statement unprepared.
 */
export async function queryPrepared(manager: EntityManager, statement: Statement, usePrepared: boolean): Promise<Record<string, unknown>[]> {
  const name = usePrepared ? statementName(statement.sql) : undefined
  if (!name) return (await manager.query(statement.sql, statement.params)) as Record<string, unknown>[]
  if (manager.queryRunner?.isReleased) throw new QueryRunnerProviderAlreadyReleasedError()
  try {
    return await runNamed(manager, name, statement)
  } catch (err) {
    if (!isStale(err)) throw err
    if (statementName(statement.sql) === name) generation += 1
    if (manager.queryRunner) throw err
    return await runNamed(manager, statementName(statement.sql)!, statement)
  }
}
