import { CUSTOMER_FIELDS } from "../types/customers"
import { quoteIdent } from "../utils/strings"
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

/**
 * One `UPDATE … RETURNING *`: the row lock it takes serialises concurrent
 * updates, and the metadata merge happens inside it, so no update is lost.
 * `columns`: database column name → prepared value (lib/customer-columns.ts);
 * `updated_at` is now() unless the caller set it, as TypeORM's save does.
 */
export function updateCustomerStatement(id: string, columns: Record<string, unknown>, metadata?: Record<string, unknown>): Statement {
  const p = new SqlParams()
  const sets = Object.entries(columns).map(([column, value]) => `${quoteIdent(column)} = ${p.add(value)}`)
  if (metadata) {
    const { patch, removed } = metadataPatch(metadata)
    sets.push(
      `metadata = (coalesce(metadata, '{}'::jsonb) - ${p.add(removed)}::text[]) || ${p.add(JSON.stringify(patch))}::jsonb`
    )
  }
  if (!("updated_at" in columns)) sets.push("updated_at = now()")
  return {
    sql: `UPDATE customer SET ${sets.join(", ")} WHERE id = ${p.add(id)} AND deleted_at IS NULL RETURNING *`,
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
           WHERE c.id = $1 AND lower(o.email) = $2) AS taken`,
    params: [customerId, email],
  }
}

/** The live customer's public columns, row-locked until the transaction ends. */
export function lockedCustomerStatement(customerId: string): Statement {
  return {
    sql: `SELECT ${CUSTOMER_FIELDS.map((f) => `"${f}"`).join(", ")} FROM customer WHERE id = $1 AND deleted_at IS NULL FOR UPDATE`,
    params: [customerId],
  }
}
