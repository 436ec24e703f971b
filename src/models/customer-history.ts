import { generateEntityId } from "@medusajs/medusa"
import { BeforeInsert, Column, Entity, PrimaryColumn } from "typeorm"
import type { Actor } from "../lib/request-context"

export const HISTORY_ID_PREFIX = "cuhist"

export type HistoryAction = "created" | "updated"

/** One field's change; a password's is `{ changed: true }` (never a value or hash). */
export type FieldChange = { from: unknown; to: unknown } | { changed: true }

export type GroupChanges = { added: string[]; removed: string[] }

/**
 * One change to a customer, written in the same transaction as the change
 * (workflows/steps/record-history.ts): who (`actor`), which request, and what,
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
    this.id = generateEntityId(this.id, HISTORY_ID_PREFIX)
  }
}
