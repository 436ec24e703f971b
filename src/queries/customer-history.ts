import type { Actor } from "../lib/request-context"
import { quoteIdent } from "../utils/strings"
import type { Statement } from "./customer-search"

/** The fields of a customer its history follows. */
export const TRACKED_FIELDS = ["email", "first_name", "last_name", "phone", "has_account"] as const

/** The address fields a history entry shows for a billing address (each present, null when empty). */
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

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`

/** The billing address `a` (an `address` row, or all NULL) as a history entry shows it: its fields only, or null. */
export function addressSnapshotSql(a: string): string {
  const fields = ADDRESS_FIELDS.map((field) => `${literal(field)}, ${a}.${quoteIdent(field)}`).join(", ")
  return `CASE WHEN ${a}.id IS NULL THEN NULL ELSE jsonb_build_object(${fields}) END`
}

/** `json` when it is a JSON object, else `{}` (legacy metadata stored as an array or a scalar). */
export const objectOrEmpty = (json: string) => `CASE WHEN jsonb_typeof(${json}) = 'object' THEN ${json} ELSE '{}'::jsonb END`

/** What a `changes` expression compares: fields by name (TRACKED_FIELDS, `billing_address`), and the metadata's keys or not. */
export type Compared = { fields: readonly string[]; metadata: boolean }

/** Everything a history follows: what a new customer's entry lists. */
export const EVERYTHING: Compared = { fields: [...TRACKED_FIELDS, "billing_address"], metadata: true }

/**
 * A history entry's `changes`, as SQL: from `before` (a customer's `to_jsonb`, with its
 * `billing_address` snapshot when compared; NULL for a customer just created) to `after`,
 * each compared field and, with `metadata`, each metadata key (`metadata.<key>`) whose JSON
 * differs, as `{ from, to }` (null for absent), and `password: { changed: true }` when
 * `passwordChanged` (an SQL boolean) holds. Never a password or its hash. An update compares
 * only what it writes, which keeps its statement cheap to plan.
 */
export function changesSql(before: string, after: string, passwordChanged: string, compared: Compared = EVERYTHING): string {
  const pairs = compared.fields.map((field) => `(${literal(field)}, s.b -> ${literal(field)}, s.a -> ${literal(field)})`)
  const metadata = (side: string) => objectOrEmpty(`${side} -> 'metadata'`)
  const sources = [
    ...(pairs.length ? [`SELECT * FROM (VALUES ${pairs.join(", ")}) v`] : []),
    ...(compared.metadata
      ? [
          `SELECT 'metadata.' || k, s.b -> 'metadata' -> k, s.a -> 'metadata' -> k
             FROM (SELECT jsonb_object_keys(${metadata("s.b")}) UNION SELECT jsonb_object_keys(${metadata("s.a")})) m(k)`,
        ]
      : []),
  ]
  const password = `CASE WHEN ${passwordChanged} THEN '{"password": {"changed": true}}'::jsonb ELSE '{}'::jsonb END`
  if (!sources.length) return password
  return `(SELECT coalesce(jsonb_object_agg(d.k, jsonb_build_object('from', coalesce(d.f, 'null'::jsonb), 'to', coalesce(d.t, 'null'::jsonb))), '{}'::jsonb)
                  || ${password}
             FROM (SELECT ${before} AS b, ${after} AS a) s,
                  LATERAL (${sources.join(" UNION ALL ")}) d(k, f, t)
            WHERE coalesce(d.f, 'null'::jsonb) IS DISTINCT FROM coalesce(d.t, 'null'::jsonb))`
}

/** Group ids in `a` and not in `b`, sorted as JavaScript sorts strings. */
const missingFrom = (a: string, b: string) =>
  `ARRAY(SELECT g FROM (SELECT unnest(${a}) EXCEPT SELECT unnest(${b})) x(g) ORDER BY g COLLATE "C")`

/**
 * A history entry's `groups`, as SQL: memberships added and removed going from `before` to
 * `after` (text[] expressions), or NULL when `after` is NULL (not touched) or the set is the same.
 */
export function groupChangesSql(before: string, after: string): string {
  return `CASE WHEN ${after} IS NULL THEN NULL ELSE (
            SELECT CASE WHEN cardinality(x.added) + cardinality(x.removed) = 0 THEN NULL
                        ELSE jsonb_build_object('added', to_jsonb(x.added), 'removed', to_jsonb(x.removed)) END
              FROM (SELECT ${missingFrom(after, before)} AS added, ${missingFrom(before, after)} AS removed) x) END`
}

/** Who made a change and in which request: what every history entry is written with. */
export type HistoryOrigin = { id: string; actor: Actor; requestId: string }

/**
 * The `created` entry of a customer just inserted, read from its row (and billing address).
 * `created_at` is the moment of the INSERT (the table's default).
 */
export function insertCreatedEntryStatement(customerId: string, origin: HistoryOrigin, passwordSet: boolean): Statement {
  return {
    sql: `INSERT INTO customer_history (id, customer_id, action, actor, changes, groups, request_id)
          SELECT $1, c.id, 'created', $2::jsonb,
                 ${changesSql("NULL::jsonb", `to_jsonb(c.*) || jsonb_build_object('billing_address', ${addressSnapshotSql("a")})`, "$3::boolean")},
                 NULL, $4
            FROM customer c LEFT JOIN address a ON a.id = c.billing_address_id
           WHERE c.id = $5`,
    params: [origin.id, JSON.stringify(origin.actor), passwordSet, origin.requestId, customerId],
  }
}

/**
 * Sets `columns` of a customer back to their values in `row` (the customer's
 * row as `to_jsonb` gave it): PostgreSQL converts each JSON value to its
 * column's type.
 */
export function restoreColumnsStatement(customerId: string, row: Record<string, unknown>, columns: string[]): Statement {
  const list = columns.map(quoteIdent)
  return {
    sql: `UPDATE customer SET (${list.join(", ")}) = (SELECT ${list.map((c) => `r.${c}`).join(", ")}
            FROM jsonb_populate_record(NULL::customer, $2::jsonb) r) WHERE id = $1`,
    params: [customerId, JSON.stringify(row)],
  }
}
