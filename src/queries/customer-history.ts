import type { Actor } from "../lib/request-context"
import { quoteIdent, quoteLiteral } from "../utils/strings"
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


/** The billing address `a` (an `address` row, or all NULL) as a history entry shows it: its fields only, or null. */
export function addressSnapshotSql(a: string): string {
  const fields = ADDRESS_FIELDS.map((field) => `${quoteLiteral(field)}, ${a}.${quoteIdent(field)}`).join(", ")
  return `CASE WHEN ${a}.id IS NULL THEN NULL ELSE jsonb_build_object(${fields}) END`
}

/** `json` when it is a JSON object, else `{}` (legacy metadata stored as an array or a scalar). */
export const objectOrEmpty = (json: string) => `CASE WHEN jsonb_typeof(${json}) = 'object' THEN ${json} ELSE '{}'::jsonb END`

/** What a `changes` expression compares: fields by name (TRACKED_FIELDS, `billing_address`), and the metadata's keys or not. */
export type Compared = { fields: readonly string[]; metadata: boolean }

/** Everything a history follows: what a new customer's entry lists. */
export const EVERYTHING: Compared = { fields: [...TRACKED_FIELDS, "billing_address"], metadata: true }

/** The function that computes a history entry's `changes` (migration 1764500000001). */
export const CHANGES_FN = "medusa_customers_history_changes"
export const CHANGES_FN_SIGNATURE = `${CHANGES_FN}(jsonb, jsonb, text[], boolean, boolean)`

/**
 * `CHANGES_FN(before, after, fields, with_metadata, password_changed)`: from `before` (a
 * customer's `to_jsonb`, with its `billing_address` snapshot when compared; NULL for a
 * customer just created) to `after`, each of `fields` and, with `with_metadata`, each metadata
 * key (`metadata.<key>`; metadata that is no JSON object counts as `{}`) whose JSON differs, as
 * `{ from, to }` (null for absent), and `password: { changed: true }` when `password_changed`.
 * PL/pgSQL, so each session plans its statements once: written inline, the comparison cost
 * every update statement more to plan than to run.
 */
export const CHANGES_FUNCTION_SQL = `CREATE OR REPLACE FUNCTION ${CHANGES_FN}(b jsonb, a jsonb, fields text[], with_metadata boolean, password_changed boolean)
  RETURNS jsonb LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
DECLARE
  changes jsonb := '{}'::jsonb;
  k text;
  f jsonb;
  t jsonb;
  bm jsonb := ${objectOrEmpty("b -> 'metadata'")};
  am jsonb := ${objectOrEmpty("a -> 'metadata'")};
BEGIN
  FOREACH k IN ARRAY coalesce(fields, '{}'::text[]) LOOP
    f := coalesce(b -> k, 'null'::jsonb);
    t := coalesce(a -> k, 'null'::jsonb);
    IF f IS DISTINCT FROM t THEN
      changes := changes || jsonb_build_object(k, jsonb_build_object('from', f, 'to', t));
    END IF;
  END LOOP;
  IF with_metadata THEN
    FOR k IN SELECT jsonb_object_keys(bm) UNION SELECT jsonb_object_keys(am) LOOP
      f := coalesce(bm -> k, 'null'::jsonb);
      t := coalesce(am -> k, 'null'::jsonb);
      IF f IS DISTINCT FROM t THEN
        changes := changes || jsonb_build_object('metadata.' || k, jsonb_build_object('from', f, 'to', t));
      END IF;
    END LOOP;
  END IF;
  IF password_changed THEN
    changes := changes || '{"password": {"changed": true}}'::jsonb;
  END IF;
  RETURN changes;
END $$`

/**
 * A history entry's `changes`, as SQL (CHANGES_FN): from `before` to `after` (SQL
 * expressions), the compared fields and metadata keys, and `passwordChanged` (an SQL
 * boolean). Never a password or its hash. An update compares only what it writes.
 */
export function changesSql(before: string, after: string, passwordChanged: string, compared: Compared = EVERYTHING): string {
  const fields = compared.fields.length ? `ARRAY[${compared.fields.map(quoteLiteral).join(", ")}]` : "'{}'"
  return `${CHANGES_FN}(${before}, ${after}, ${fields}::text[], ${compared.metadata}, ${passwordChanged})`
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
