import type { FieldChange, GroupChanges, HistoryAction } from "../models/customer-history"
import type { Actor } from "./request-context"

/** The address fields a history entry shows for a billing address. */
export const ADDRESS_FIELDS = [
  "first_name",
  "last_name",
  "company",
  "address_1",
  "address_2",
  "city",
  "province",
  "postal_code",
  "country_code",
  "phone",
] as const

export type AddressSnapshot = { [K in (typeof ADDRESS_FIELDS)[number]]?: string | null }

/** The fields of a customer its history follows (workflows read them before and after a change). */
export const TRACKED_FIELDS = ["email", "first_name", "last_name", "phone", "has_account"] as const

/** A customer's properties (tracked fields among them), its metadata and, when known, its billing address. */
export type CustomerSnapshot = {
  [field: string]: unknown
  metadata?: Record<string, unknown> | null
  billing_address?: Record<string, unknown> | null
}

/** A history entry before it is written (the id and created_at come with the INSERT). */
export type HistoryEntryInput = {
  customer_id: string
  action: HistoryAction
  actor: Actor
  changes: Record<string, FieldChange>
  groups: GroupChanges | null
  request_id: string
}

/** JSON equality of two plain values (what the entry stores is JSON). */
function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a ?? null) === JSON.stringify(b ?? null)
}

/** Only the address fields, every one present (null when empty), so two snapshots compare field by field. */
export function addressSnapshot(address: Record<string, unknown> | null | undefined): AddressSnapshot | null {
  if (!address) return null
  return Object.fromEntries(ADDRESS_FIELDS.map((field) => [field, (address[field] as string | null | undefined) ?? null]))
}

/**
 * What changed from `before` (null: the customer was just created) to
 * `after`: each tracked field, the billing address, each metadata key as
 * `metadata.<key>`, and `password: { changed: true }` when one was set.
 */
export function customerChanges(
  before: CustomerSnapshot | null,
  after: CustomerSnapshot,
  { passwordChanged }: { passwordChanged: boolean }
): Record<string, FieldChange> {
  const changes: Record<string, FieldChange> = {}
  const record = (field: string, from: unknown, to: unknown) => {
    if (!same(from, to)) changes[field] = { from: from ?? null, to: to ?? null }
  }
  for (const field of TRACKED_FIELDS) record(field, before?.[field], after[field])
  record("billing_address", addressSnapshot(before?.billing_address), addressSnapshot(after.billing_address))
  const from = before?.metadata ?? {}
  const to = after.metadata ?? {}
  for (const key of new Set([...Object.keys(from), ...Object.keys(to)])) record(`metadata.${key}`, from[key], to[key])
  if (passwordChanged) changes.password = { changed: true }
  return changes
}

/** Memberships added and removed, or null when the set did not change (or was not touched). */
export function groupChanges(before: string[], after: string[] | undefined): GroupChanges | null {
  if (!after) return null
  const added = [...new Set(after)].filter((id) => !before.includes(id)).sort()
  const removed = before.filter((id) => !after.includes(id)).sort()
  return added.length || removed.length ? { added, removed } : null
}
