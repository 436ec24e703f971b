import type { Logger } from "@medusajs/medusa"
import type { DataSource } from "typeorm"
import { ApiTokenCache, USER_CHANGES_CHANNEL, USER_CHANGES_TRIGGER } from "./api-token-cache"

type PgClient = {
  connect(): Promise<void>
  query(sql: string, params?: unknown[]): Promise<{ rows: Record<string, unknown>[] }>
  on(event: "notification" | "error" | "end", listener: (...args: unknown[]) => void): void
  end(): Promise<void>
  connection?: { stream?: { unref?: () => void } }
}
/** What TypeORM's PostgresDriver holds once connected: the `pg` module and its pool. */
type PostgresDriver = {
  postgres?: { Client: new (options: object) => PgClient }
  master?: { options?: Record<string, unknown> & { password?: unknown } }
}

/** How the listener's connection shows in `pg_stat_activity`. */
export const LISTENER_APPLICATION_NAME = "medusa-customers-user-changes"

const caches = new WeakMap<object, ApiTokenCache>()

/** The API-token cache of a data source: not live, so caching nothing, until its listener is. */
export function apiTokenCache(dataSource: object): ApiTokenCache {
  let cache = caches.get(dataSource)
  if (!cache) caches.set(dataSource, (cache = new ApiTokenCache()))
  return cache
}

/** Waits before connecting again: 1 s after the first failure, up to 30 s. */
const retryDelayMs = (attempt: number): number => Math.min(30_000, 1_000 * attempt)
/** A database whose migration has not run yet is asked again this often. */
const TRIGGER_RECHECK_MS = 60_000

const TRIGGER_INSTALLED_SQL = `SELECT EXISTS (
    SELECT 1 FROM pg_trigger t
     WHERE t.tgrelid = to_regclass('"user"') AND t.tgname = $1 AND t.tgenabled <> 'D'
  ) AS installed`

type Listener = { stop(): Promise<void> }
const listeners = new WeakMap<object, Listener>()

/**
 * Keeps a connection of its own LISTENing on USER_CHANGES_CHANNEL for the
 * data source's API-token cache: live while connected and the trigger exists,
 * emptied on every notification, not live (every token looked up) from the
 * moment the connection fails until it is back. One per data source: a second
 * call (loaders run again in one process) gets the first. Never throws; the
 * connection does not keep the process alive.
 */
export function listenForUserChanges(dataSource: DataSource, logger: Pick<Logger, "info" | "warn">): Listener {
  const existing = listeners.get(dataSource)
  if (existing) return existing
  const cache = apiTokenCache(dataSource)
  const driver = dataSource.driver as unknown as PostgresDriver
  let client: PgClient | undefined
  let timer: NodeJS.Timeout | undefined
  let failures = 0
  let stopped = false
  let toldMissing = false

  const schedule = (ms: number) => {
    if (stopped) return
    timer = setTimeout(() => void connect(), ms)
    timer.unref()
  }

  const lost = (current: PgClient | undefined, reason: string) => {
    if (client !== current) return
    client = undefined
    // said once per outage: when it was on, or on the first failure to turn it on
    if (cache.live || failures === 0) logger.warn(`API-token cache off until its listener connects (${reason})`)
    cache.setLive(false)
    void current?.end().catch(() => undefined)
    failures += 1
    schedule(retryDelayMs(failures))
  }

  const connect = async () => {
    if (stopped || client || !driver.postgres || !driver.master) return
    let current: PgClient | undefined
    try {
      const options = driver.master.options ?? {}
      current = new driver.postgres.Client({
        ...options,
        // pg-pool keeps the password out of its enumerable options
        password: options.password,
        application_name: LISTENER_APPLICATION_NAME,
        connectionTimeoutMillis: 10_000,
        keepAlive: true,
        keepAliveInitialDelayMillis: 10_000,
      })
      const self = current
      client = self
      self.on("notification", () => cache.invalidate())
      self.on("error", (err) => lost(self, err instanceof Error ? err.message : String(err)))
      self.on("end", () => lost(self, "connection closed"))
      await current.connect()
      current.connection?.stream?.unref?.()
      await current.query(`LISTEN ${USER_CHANGES_CHANNEL}`)
      const { rows } = await current.query(TRIGGER_INSTALLED_SQL, [USER_CHANGES_TRIGGER])
      if (client !== current) return
      if (!rows[0]?.installed) {
        // migrations pending: look again later, caching nothing meanwhile
        if (!toldMissing) logger.info("API-token cache off until `medusa migrations run` adds its trigger (1764400000009)")
        toldMissing = true
        client = undefined
        cache.setLive(false)
        void current.end().catch(() => undefined)
        schedule(TRIGGER_RECHECK_MS)
        return
      }
      if (failures > 0) logger.info("API-token cache on again: its listener is connected")
      failures = 0
      cache.setLive(true)
    } catch (err) {
      // a client that could not even be made is no client: schedule the next try all the same
      if (!current) client = undefined
      lost(current, err instanceof Error ? err.message : String(err))
    }
  }

  void connect()
  const listener: Listener = {
    async stop() {
      listeners.delete(dataSource)
      stopped = true
      if (timer) clearTimeout(timer)
      const current = client
      client = undefined
      cache.setLive(false)
      await current?.end().catch(() => undefined)
    },
  }
  listeners.set(dataSource, listener)
  return listener
}
