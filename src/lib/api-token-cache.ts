/** The channel the `user` table's trigger notifies on any change (migration 1764400000009). */
export const USER_CHANGES_CHANNEL = "medusa_customers_user_changes"

/** The trigger that notifies it, looked for before the cache is trusted. */
export const USER_CHANGES_TRIGGER = "medusa_customers_user_changes"

type Entry = { proto: object | null; fields: Record<string, unknown>; expires: number }

/**
 * The users API tokens were found to belong to, kept while a listener on
 * USER_CHANGES_CHANNEL is connected (`live`): any change to the `user` table,
 * committed by anyone, empties the cache the moment PostgreSQL delivers the
 * notification. Not live (listener connecting, reconnecting, trigger not yet
 * migrated), nothing is kept and every token is looked up. Entries also expire
 * after `ttlMs`: the bound on a revoked token's life if the listener's
 * connection dies without a word (no FIN), until it is found dead.
 *
 * A lookup that started before an invalidation must not store what it read:
 * `generation()` is taken before the lookup and `set` refuses a stale one.
 * A user's own fields are kept, copied in and out (metadata and dates
 * included), with its prototype: each request gets a User of its own.
 */
export class ApiTokenCache {
  private readonly entries = new Map<string, Entry>()
  private current = 0
  private isLive = false

  constructor(
    private readonly ttlMs = 10_000,
    private readonly maxEntries = 1_000,
    private readonly now: () => number = Date.now
  ) {}

  get live(): boolean {
    return this.isLive
  }

  generation(): number {
    return this.current
  }

  /** A copy of the user kept for `token` (its own metadata object and dates, the same prototype), if any. */
  get<T extends object>(token: string): T | undefined {
    const entry = this.entries.get(token)
    if (!entry) return undefined
    if (entry.expires <= this.now()) {
      this.entries.delete(token)
      return undefined
    }
    return Object.assign(Object.create(entry.proto) as T, structuredClone(entry.fields))
  }

  /** The clock the entries' lives are counted on: take it before the lookup whose user `set` keeps. */
  time(): number {
    return this.now()
  }

  /**
   * Keeps a copy of `user` for `token` if the cache is live and nothing changed
   * since `generation`; it expires `ttlMs` after `readFrom`, when the lookup began.
   * A user that cannot be copied (a function among its fields) is not kept.
   */
  set(token: string, user: object, generation: number, readFrom: number): void {
    if (!this.isLive || generation !== this.current) return
    let fields: Record<string, unknown>
    try {
      fields = structuredClone({ ...user })
    } catch {
      return
    }
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.entries.set(token, { proto: Object.getPrototypeOf(user) as object | null, fields, expires: readFrom + this.ttlMs })
  }

  /** Something changed in `user` (or may have, unseen): forget everything. */
  invalidate(): void {
    this.current += 1
    this.entries.clear()
  }

  setLive(live: boolean): void {
    this.invalidate()
    this.isLive = live
  }
}
