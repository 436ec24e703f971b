import type { Logger, MedusaContainer } from "@medusajs/medusa"
import type { EventEmitter } from "events"
import type { EntityManager } from "typeorm"

type PoolLike = EventEmitter

const GUARDED = Symbol.for("medusa-plugin-customers.connectionErrorGuard")

/**
 * node-postgres emits `error` on a client whose connection dies (PostgreSQL
 * restarting: 57P01, a reset socket). The pool listens on idle clients and
 * TypeORM on a query runner's client until it releases it; a client in use by
 * anything else, or caught between the two, has no listener, and Node turns
 * that event into an uncaught exception that stops the store. Every client the
 * pool hands out gets a listener of its own: the query running on it still
 * fails with the error (and its transaction rolls back), the process lives.
 */
export default async function connectionErrorsLoader(container: MedusaContainer): Promise<void> {
  const logger = container.resolve<Logger>("logger")
  const manager = container.resolve<EntityManager>("manager")
  const pool = (manager.connection.driver as unknown as { master?: unknown }).master
  if (!isEmitter(pool)) {
    logger.warn("medusa-plugin-customers: the database driver has no node-postgres pool to guard; a connection lost while in use may stop the process")
    return
  }
  guardPool(pool, logger)
}

function isEmitter(value: unknown): value is PoolLike {
  return typeof (value as PoolLike | undefined)?.on === "function"
}

/** Listens on every client `pool` creates or hands out (once per client; once per pool). */
export function guardPool(pool: PoolLike, logger: Pick<Logger, "warn">): void {
  const marked = pool as PoolLike & { [GUARDED]?: true }
  if (marked[GUARDED]) return
  marked[GUARDED] = true
  const guarded = new WeakSet<object>()
  const guard = (client: unknown) => {
    if (!isEmitter(client) || guarded.has(client)) return
    guarded.add(client)
    client.on("error", (err: Error) => logger.warn(`medusa-plugin-customers: a database connection was lost while in use: ${err.message}`))
  }
  pool.on("connect", guard)
  pool.on("acquire", guard)
}
