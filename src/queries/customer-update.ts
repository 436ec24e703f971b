import { CUSTOMER_FIELDS } from "../types/customers"
import { quoteIdent } from "../utils/strings"
import { addressSnapshotSql, changesSql, Compared, groupChangesSql, HistoryOrigin, objectOrEmpty, TRACKED_FIELDS } from "./customer-history"
import { SqlParams, Statement } from "./customer-search"

/** Core's metadata semantics: keys set to "" are removed, the others merged in. */
export function metadataPatch(metadata: Record<string, unknown>): { patch: Record<string, unknown>; removed: string[] } {
  const patch: Record<string, unknown> = {}
  const removed: string[] = []
  for (const [key, value] of Object.entries(metadata)) {
    if (value === "") removed.push(key)
    else patch[key] = value
  }
  return { patch, removed }
}

/** Where an update's history entry comes from, and what it cannot read from the rows themselves. */
export type UpdateHistory = HistoryOrigin & {
  passwordChanged: boolean
  /** The group ids the customer gets (undefined: not touched). */
  groupIds?: string[]
  /**
   * When the update changed the billing address (earlier in the transaction): its snapshot
   * from before. Undefined otherwise: the address did not change, and is not compared.
   */
  billingBefore?: { snapshot: Record<string, unknown> | null }
}

/** Names of the statement's own result columns beside the customer's. */
export const PRIOR_ROW = "__prior_row"
export const PRIOR_GROUPS = "__prior_groups"

/**
 * One statement for an update: the live customer row-locked and read as it was (concurrent
 * updates take turns here, each reading what the previous one committed), the `UPDATE`
 * (metadata merged inside it, so no update is lost), and its history entry, diffed from the
 * two rows. Returns the customer as written, with the row as it was (`to_jsonb`, under
 * PRIOR_ROW) and, when the update replaces them, its group ids before (PRIOR_GROUPS); no row
 * when there is no live customer. Only what the update can change is read and compared (the
 * billing address and the groups when it changes them), which keeps the statement cheap to plan.
 * `columns`: database column name → prepared value (lib/customer-columns.ts); `updated_at`
 * is now() when the customer changes (a column, its billing address, its groups), unless the
 * caller set it. An update that changes nothing writes no history entry. `returned`: the
 * columns of the store's entity a find reads (no password hash), named (not `*`): a column a
 * migration adds while the store runs leaves the result's shape, which a prepared statement
 * must keep, as it was.
 */
export function updateCustomerStatement(id: string, columns: Record<string, unknown>, returned: string[], metadata: Record<string, unknown> | undefined, history: UpdateHistory): Statement {
  const p = new SqlParams()
  const customerId = p.add(id)
  // in one order whatever the caller's: one statement text per set of columns
  const names = Object.keys(columns).sort()
  const sets = names.map((column) => `${quoteIdent(column)} = ${p.add(columns[column])}`)
  // what makes the update a change of the customer (its ETag, updated_at)
  const changes: string[] = []
  if (metadata) {
    const { patch, removed } = metadataPatch(metadata)
    // metadata that is no JSON object (legacy data) is merged into as `{}`, as the history reads it
    const merged = `(${objectOrEmpty("customer.metadata")} - ${p.add(removed)}::text[]) || ${p.add(JSON.stringify(patch))}::jsonb`
    sets.push(`metadata = ${merged}`)
    changes.push(`customer.metadata IS DISTINCT FROM ${merged}`)
  }
  const billingBefore = history.billingBefore && `${p.add(JSON.stringify(history.billingBefore.snapshot))}::jsonb`
  const billingAfter = (customer: string) => `(SELECT ${addressSnapshotSql("a")} FROM address a WHERE a.id = ${customer}.billing_address_id)`
  const groupsAfter = history.groupIds && `${p.add(history.groupIds)}::text[]`
  let given = ""
  if (!("updated_at" in columns)) {
    // as TypeORM's save: updated_at (and so the ETag) moves only when something changes; the
    // columns' new values read into the row type a second time (a parameter used twice must be
    // of one type), each compared with its stored value as JSON (not every type has an equality)
    if (names.length) given = `, jsonb_populate_record(NULL::customer, ${p.add(comparableJson(columns))}::jsonb) given`
    changes.push(...names.map((name) => `to_jsonb(customer.${quoteIdent(name)}) IS DISTINCT FROM to_jsonb(given.${quoteIdent(name)})`))
    if (billingBefore) changes.push(`${billingBefore} IS DISTINCT FROM ${billingAfter("given")}`)
    if (groupsAfter) changes.push(`NOT (prior.groups::text[] @> ${groupsAfter} AND prior.groups::text[] <@ ${groupsAfter})`)
    sets.push(`updated_at = ${changes.length ? `CASE WHEN ${changes.join(" OR ")} THEN now() ELSE customer.updated_at END` : "customer.updated_at"}`)
  }
  const written = new Set(Object.keys(columns))
  const compared: Compared = {
    fields: [...TRACKED_FIELDS.filter((field) => written.has(field)), ...(billingBefore ? ["billing_address"] : [])],
    metadata: Boolean(metadata),
  }
  const before = billingBefore ? `prior.row || jsonb_build_object('billing_address', ${billingBefore})` : "prior.row"
  const after = billingBefore ? `to_jsonb(written.*) || jsonb_build_object('billing_address', ${billingAfter("written")})` : "to_jsonb(written.*)"
  const groupsBefore = groupsAfter
    ? "ARRAY(SELECT g.customer_group_id FROM customer_group_customers g WHERE g.customer_id = c.id)"
    : "NULL::text[]"
  return {
    sql: `WITH prior AS MATERIALIZED (
            SELECT c.id, to_jsonb(c.*) AS row, ${groupsBefore} AS groups
              FROM customer c WHERE c.id = ${customerId} AND c.deleted_at IS NULL
               FOR UPDATE
          ), written AS (
            UPDATE customer SET ${sets.join(", ")} FROM prior${given} WHERE customer.id = prior.id RETURNING customer.*
          ), entry AS (
            INSERT INTO customer_history (id, customer_id, action, actor, changes, groups, request_id)
            SELECT ${p.add(history.id)}, d.id, 'updated', ${p.add(JSON.stringify(history.actor))}::jsonb, d.changes, d.groups, ${p.add(history.requestId)}
              FROM (SELECT written.id, ${changesSql(before, after, `${p.add(history.passwordChanged)}::boolean`, compared)} AS changes,
                           ${groupsAfter ? groupChangesSql("prior.groups", groupsAfter) : "NULL::jsonb"} AS groups,
                           to_jsonb(written.*) - 'updated_at' IS DISTINCT FROM prior.row - 'updated_at' AS row_changed
                      FROM written, prior) d
             -- an update that changed nothing (the row, the billing address, the groups) has no entry
             WHERE d.row_changed OR d.changes <> '{}'::jsonb OR d.groups IS NOT NULL
          )
          SELECT ${returned.map((column) => `written.${quoteIdent(column)}`).join(", ")}, prior.row AS "${PRIOR_ROW}", prior.groups AS "${PRIOR_GROUPS}" FROM written, prior`,
    params: p.values,
  }
}

/**
 * Column values as JSON for `jsonb_populate_record`: strings well-formed (PostgreSQL refuses a
 * lone surrogate in JSON; the driver writes it as U+FFFD), big and non-finite numbers as text.
 */
function comparableJson(values: Record<string, unknown>): string {
  return JSON.stringify(values, (_key, value: unknown) => {
    if (typeof value === "string") return value.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD")
    if (typeof value === "bigint" || (typeof value === "number" && !Number.isFinite(value))) return String(value)
    return value
  })
}

/** Replaces a customer's group memberships. */
export function replaceGroupsStatements(customerId: string, groupIds: string[]): Statement[] {
  return [
    { sql: "DELETE FROM customer_group_customers WHERE customer_id = $1", params: [customerId] },
    {
      sql: "INSERT INTO customer_group_customers (customer_group_id, customer_id) SELECT unnest($1::text[]), $2",
      params: [groupIds, customerId],
    },
  ]
}

/** Whether another live customer of the same kind (account or guest) already uses `email`. */
export function emailTakenStatement(customerId: string, email: string): Statement {
  return {
    sql: `SELECT EXISTS (
            SELECT 1 FROM customer c JOIN customer o
              ON o.id <> c.id AND o.has_account = c.has_account AND o.deleted_at IS NULL
           WHERE c.id = $1 AND c.deleted_at IS NULL AND lower(o.email) = $2) AS taken`,
    params: [customerId, email],
  }
}

/** Whether a live customer has this id. */
export function customerExistsStatement(customerId: string): Statement {
  return { sql: "SELECT EXISTS (SELECT 1 FROM customer WHERE id = $1 AND deleted_at IS NULL) AS found", params: [customerId] }
}

/** The live customer row-locked until the transaction ends: its public columns as the driver reads them (what its ETag is computed from). */
export function lockCustomerStatement(customerId: string): Statement {
  return {
    sql: `SELECT ${CUSTOMER_FIELDS.map((f) => `"${f}"`).join(", ")} FROM customer WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
    params: [customerId],
  }
}

/** An address as a row (`to_jsonb`) and as the snapshot a history entry shows. */
export function billingAddressStatement(addressId: string): Statement {
  return { sql: `SELECT ${addressSnapshotSql("a")} AS snapshot, to_jsonb(a.*) AS address FROM address a WHERE a.id = $1`, params: [addressId] }
}
