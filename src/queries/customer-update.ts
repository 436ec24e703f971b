import { CUSTOMER_FIELDS } from "../types/customers"
import { quoteIdent, quoteLiteral } from "../utils/strings"
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
 * is now() when a column changes, unless the caller set it, as TypeORM's save does. An update
 * that changes nothing writes no history entry.
 */
export function updateCustomerStatement(id: string, columns: Record<string, unknown>, metadata: Record<string, unknown> | undefined, history: UpdateHistory): Statement {
  const p = new SqlParams()
  const customerId = p.add(id)
  const assigned = Object.entries(columns).map(([column, value]) => ({ column: quoteIdent(column), param: p.add(value) }))
  const sets = assigned.map(({ column, param }) => `${column} = ${param}`)
  // what differs from the row as it is, compared as JSON: the values again, as one JSON object (a
  // parameter used twice must be of one type; not every column type has an equality). A value whose
  // JSON form is not PostgreSQL's (a date, a JSON column's text) counts as a change.
  const given = assigned.length ? p.add(JSON.stringify(columns)) : ""
  const differs = Object.keys(columns).map(
    (name) => `coalesce(to_jsonb(customer.${quoteIdent(name)}), 'null'::jsonb) IS DISTINCT FROM ${given}::jsonb -> ${quoteLiteral(name)}`
  )
  if (metadata) {
    const { patch, removed } = metadataPatch(metadata)
    // metadata that is no JSON object (legacy data) is merged into as `{}`, as the history reads it
    const merged = `(${objectOrEmpty("customer.metadata")} - ${p.add(removed)}::text[]) || ${p.add(JSON.stringify(patch))}::jsonb`
    sets.push(`metadata = ${merged}`)
    differs.push(`customer.metadata IS DISTINCT FROM ${merged}`)
  }
  // as TypeORM's save: an update that changes no column leaves updated_at (and so the ETag) as it was
  if (!("updated_at" in columns)) sets.push(`updated_at = ${differs.length ? `CASE WHEN ${differs.join(" OR ")} THEN now() ELSE customer.updated_at END` : "customer.updated_at"}`)
  const written = new Set(Object.keys(columns))
  const compared: Compared = {
    fields: [...TRACKED_FIELDS.filter((field) => written.has(field)), ...(history.billingBefore ? ["billing_address"] : [])],
    metadata: Boolean(metadata),
  }
  let before = "prior.row"
  let after = "to_jsonb(written.*)"
  if (history.billingBefore) {
    before += ` || jsonb_build_object('billing_address', ${p.add(JSON.stringify(history.billingBefore.snapshot))}::jsonb)`
    after += ` || jsonb_build_object('billing_address', (SELECT ${addressSnapshotSql("a")} FROM address a WHERE a.id = written.billing_address_id))`
  }
  const groupsAfter = history.groupIds && `${p.add(history.groupIds)}::text[]`
  const groupsBefore = groupsAfter
    ? "ARRAY(SELECT g.customer_group_id FROM customer_group_customers g WHERE g.customer_id = c.id)"
    : "NULL::text[]"
  return {
    sql: `WITH prior AS MATERIALIZED (
            SELECT c.id, to_jsonb(c.*) AS row, ${groupsBefore} AS groups
              FROM customer c WHERE c.id = ${customerId} AND c.deleted_at IS NULL
               FOR UPDATE
          ), written AS (
            UPDATE customer SET ${sets.join(", ")} FROM prior WHERE customer.id = prior.id RETURNING customer.*
          ), entry AS (
            INSERT INTO customer_history (id, customer_id, action, actor, changes, groups, request_id)
            SELECT ${p.add(history.id)}, d.id, 'updated', ${p.add(JSON.stringify(history.actor))}::jsonb, d.changes, d.groups, ${p.add(history.requestId)}
              FROM (SELECT written.id, ${changesSql(before, after, `${p.add(history.passwordChanged)}::boolean`, compared)} AS changes,
                           ${groupsAfter ? groupChangesSql("prior.groups", groupsAfter) : "NULL::jsonb"} AS groups,
                           to_jsonb(written.*) IS DISTINCT FROM prior.row AS row_changed
                      FROM written, prior) d
             -- an update that changed nothing (the row, the billing address, the groups) has no entry
             WHERE d.row_changed OR d.changes <> '{}'::jsonb OR d.groups IS NOT NULL
          )
          SELECT written.*, prior.row AS "${PRIOR_ROW}", prior.groups AS "${PRIOR_GROUPS}" FROM written, prior`,
    params: p.values,
  }
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
