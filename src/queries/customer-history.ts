import { CUSTOMER_FIELDS } from "../types/customers"
import { quoteIdent } from "../utils/strings"
import type { HistoryEntryInput } from "../lib/customer-history"
import type { Statement } from "./customer-search"

/**
 * The live customer's public columns, its whole row and billing address (as
 * JSON) and its group ids, row-locked until the transaction ends: what an
 * update compares its ETag with, diffs its history against and restores when
 * it is undone. Concurrent updates of one
 * customer take turns here, each reading what the previous one committed.
 */
export function lockedSnapshotStatement(customerId: string): Statement {
  return {
    sql: `SELECT ${CUSTOMER_FIELDS.map((f) => `c."${f}"`).join(", ")}, to_jsonb(c) AS row, to_jsonb(a) AS billing_address,
                 ARRAY(SELECT g.customer_group_id FROM customer_group_customers g
                        WHERE g.customer_id = c.id ORDER BY 1) AS group_ids
            FROM customer c LEFT JOIN address a ON a.id = c.billing_address_id
           WHERE c.id = $1 AND c.deleted_at IS NULL
             FOR UPDATE OF c`,
    params: [customerId],
  }
}

/** One history entry; created_at is the moment of the INSERT (the table's default). */
export function insertHistoryStatement(id: string, entry: HistoryEntryInput): Statement {
  return {
    sql: `INSERT INTO customer_history (id, customer_id, action, actor, changes, groups, request_id)
          VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    params: [
      id,
      entry.customer_id,
      entry.action,
      JSON.stringify(entry.actor),
      JSON.stringify(entry.changes),
      entry.groups && JSON.stringify(entry.groups),
      entry.request_id,
    ],
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
