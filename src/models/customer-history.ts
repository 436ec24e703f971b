import { randomBytes } from "crypto"
import { BeforeInsert, Column, Entity, PrimaryColumn } from "typeorm"
import { Actor, changeOrigin } from "../lib/request-context"
import type { HistoryOrigin } from "../queries/customer-history"

export const HISTORY_ID_PREFIX = "cuhist"

const CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

/**
 * A new entry's id: the prefix and a ULID (48 bits of milliseconds, 80 random bits), as
 * Medusa's generateEntityId makes them, from one draw of random bytes (it draws one per character).
 */
export function newHistoryId(now = Date.now()): string {
  let id = ""
  for (let i = 0, time = now; i < 10; i++, time = Math.floor(time / 32)) id = CROCKFORD[time % 32] + id
  let bits = 0
  let pending = 0
  for (const byte of randomBytes(10)) {
    pending = (pending << 8) | byte
    bits += 8
    while (bits >= 5) {
      bits -= 5
      id += CROCKFORD[(pending >> bits) & 31]
    }
    pending &= (1 << bits) - 1
  }
  return `${HISTORY_ID_PREFIX}_${id}`
}

/** A new entry's id, with the actor and request id of the change (lib/request-context.ts). */
export function historyOrigin(): HistoryOrigin {
  return { id: newHistoryId(), ...changeOrigin() }
}

export type HistoryAction = "created" | "updated"

/** One field's change; a password's is `{ changed: true }` (never a value or hash). */
export type FieldChange = { from: unknown; to: unknown } | { changed: true }

export type GroupChanges = { added: string[]; removed: string[] }

/**
 * One change to a customer, written in the same transaction as the change
 * (by the workflows' steps): who (`actor`), which request, and what,
 * field by field (`changes`: email, names, phone, has_account, billing_address,
 * `metadata.<key>`, password) plus group memberships added and removed.
 */
@Entity({ name: "customer_history" })
export class CustomerHistory {
  @PrimaryColumn({ type: "text" })
  id!: string

  @Column({ type: "text" })
  customer_id!: string

  @Column({ type: "text" })
  action!: HistoryAction

  @Column({ type: "jsonb" })
  actor!: Actor

  @Column({ type: "jsonb" })
  changes!: Record<string, FieldChange>

  @Column({ type: "jsonb", nullable: true })
  groups!: GroupChanges | null

  @Column({ type: "text" })
  request_id!: string

  /** The moment the entry was written (clock_timestamp(), under the customer's row lock): entries order as the changes did. */
  @Column({ type: "timestamptz", default: () => "clock_timestamp()" })
  created_at!: Date

  @BeforeInsert()
  private beforeInsert(): void {
    this.id ||= newHistoryId()
  }
}
