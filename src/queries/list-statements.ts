import { COUNTER_TABLE } from "../lib/customer-count"
import type { CustomerListConfig, CustomerListFilters } from "../types/customers"
import { explicitOrder, filterClauses, matchClause, type SearchMode, type SearchTerms, SqlParams, type Statement } from "./customer-search"

/* The statements of plain (no `q`) lists, and every list's count. */

/** Columns a page selects besides each customer's id, and the FROM clause they need (aliasing the customer `c`). */
export type PageColumns = { select: string; from: string }

/**
 * Ids of one page of a plain (no `q`) list; `reverse` reads from the other end
 * of the order. With `columns`, those too, computed for every row the scan
 * reads, the skipped ones included.
 */
export function listPage(
  filters: CustomerListFilters,
  config: CustomerListConfig,
  reverse = false,
  skip = config.skip,
  take = config.take,
  columns?: PageColumns
): Statement {
  const p = new SqlParams()
  const clauses = filterClauses(filters, p)
  const select = columns ? `c.id, ${columns.select} FROM ${columns.from}` : "c.id FROM customer c"
  return {
    sql: `SELECT ${select} WHERE ${clauses.join(" AND ")}
          ORDER BY ${explicitOrder(config, reverse).join(", ")} LIMIT ${p.add(take)} OFFSET ${p.add(skip)}`,
    params: p.values,
  }
}

/**
 * Members of any of `groups`, counted in the membership index, less the
 * soft-deleted ones (few, found through their own small index): exact without
 * visiting a single live customer row.
 */
function groupMembersCount(groups: string[]): Statement {
  const distinct = groups.length > 1 ? "DISTINCT " : ""
  return {
    sql: `SELECT (SELECT count(${distinct}customer_id) FROM customer_group_customers WHERE customer_group_id = ANY($1))
               - (SELECT count(${distinct}c.id) FROM customer c
                    JOIN customer_group_customers cgc ON cgc.customer_id = c.id AND cgc.customer_group_id = ANY($1)
                   WHERE c.deleted_at IS NOT NULL) AS total`,
    params: [groups],
  }
}

/**
 * The exact count: from the trigger-kept counters when only `has_account`
 * filters, from the membership index when only `groups` does, else counted.
 */
export function listCount(filters: CustomerListFilters, terms?: SearchTerms, mode: SearchMode = "substring"): Statement {
  const noOtherFilter = !terms && filters.email === undefined && !filters.created_at && !filters.updated_at
  if (noOtherFilter && filters.groups?.length && filters.has_account === undefined) return groupMembersCount(filters.groups)
  if (noOtherFilter && !filters.groups?.length) {
    const p = new SqlParams()
    const where = filters.has_account === undefined ? "" : ` WHERE has_account = ${p.add(filters.has_account)}`
    return { sql: `SELECT coalesce(sum(n), 0)::bigint AS total FROM ${COUNTER_TABLE}${where}`, params: p.values }
  }
  const p = new SqlParams()
  const clauses = filterClauses(filters, p)
  if (terms) clauses.push(matchClause(terms, mode, p))
  return { sql: `SELECT count(*)::bigint AS total FROM customer c WHERE ${clauses.join(" AND ")}`, params: p.values }
}
