/** The channel the `user` table's trigger notifies on any change (migration 1764400000009). */
export const USER_CHANGES_CHANNEL = "medusa_customers_user_changes"

/** The trigger that notifies it, looked for before the cache is trusted. */
export const USER_CHANGES_TRIGGER = "medusa_customers_user_changes"

type Entry = { row: Record<string, unknown>; expires: number }

/**
 * The user rows API tokens were found to belong to, kept while a listener on
 * USER_CHANGES_CHANNEL is connected (`live`): any change to the `user` table,
 * committed by anyone, empties the cache the moment PostgreSQL delivers the
 * notification. Not live (listener connecting, reconnecting, trigger not yet
 * migrated), nothing is kept and every token is looked up. Entries also expire
 * after `ttlMs`: the bound on a revoked token's life if the listener's
 * connection dies without a word (no FIN), until it is found dead.
 *
 * A lookup that started before an invalidation must not store what it read:
 * `generation()` is taken before the lookup and `set` refuses a stale one.
 * Only rows are kept, copied in and out (metadata and dates included): each
 * request hydrates its own User from its own copy.
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

  /** A copy of the row kept for `token` (its own metadata object and dates), if any. */
  get(token: string): Record<string, unknown> | undefined {
    const entry = this.entries.get(token)
    if (!entry) return undefined
    if (entry.expires <= this.now()) {
      this.entries.delete(token)
      return undefined
    }
    return structuredClone(entry.row)
  }

  /** The clock the entries' lives are counted on: take it before the lookup whose row `set` keeps. */
  time(): number {
    return this.now()
  }

  /**
   * Keeps a copy of `row` for `token` if the cache is live and nothing changed
   * since `generation`; it expires `ttlMs` after `readFrom`, when the lookup began.
   */
  set(token: string, row: Record<string, unknown>, generation: number, readFrom: number): void {
    if (!this.isLive || generation !== this.current) return
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.entries.set(token, { row: structuredClone(row), expires: readFrom + this.ttlMs })
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
