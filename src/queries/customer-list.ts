import type { Customer } from "@medusajs/medusa"
import { And, FindOperator, FindOptionsWhere, ILike, LessThan, LessThanOrEqual, MoreThan, MoreThanOrEqual, Raw } from "typeorm"
import type { CustomerListConfig, CustomerListFilters, DateRange } from "../types/customers"
import { escapeLike } from "../utils/strings"

/** Columns `q` searches, each with `ILIKE '%q%'` and `%`/`_` taken literally. */
export const SEARCH_COLUMNS = ["email", "first_name", "last_name"] as const

function dateOperator(range: DateRange): FindOperator<Date> | undefined {
  const ops: FindOperator<Date>[] = []
  if (range.lt) ops.push(LessThan(range.lt))
  if (range.lte) ops.push(LessThanOrEqual(range.lte))
  if (range.gt) ops.push(MoreThan(range.gt))
  if (range.gte) ops.push(MoreThanOrEqual(range.gte))
  if (ops.length === 0) return undefined
  return ops.length === 1 ? ops[0] : And(...ops)
}

/** The filters other than `q`, as a TypeORM where clause. */
export function baseWhere(filters: CustomerListFilters): FindOptionsWhere<Customer> {
  const where: FindOptionsWhere<Customer> = {}
  if (filters.has_account !== undefined) where.has_account = filters.has_account
  if (filters.email !== undefined) {
    where.email = Raw((column) => `lower(${column}) = :email`, { email: filters.email.toLowerCase() })
  }
  if (filters.groups?.length) {
    where.id = Raw(
      (column) =>
        `${column} IN (SELECT cgc.customer_id FROM customer_group_customers cgc WHERE cgc.customer_group_id = ANY(:groups))`,
      { groups: filters.groups }
    )
  }
  const created = filters.created_at && dateOperator(filters.created_at)
  if (created) where.created_at = created
  const updated = filters.updated_at && dateOperator(filters.updated_at)
  if (updated) where.updated_at = updated
  return where
}

/** The where clause of an admin list: the filters, OR-ed over the searched columns when `q` is given. */
export function buildListWhere(filters: CustomerListFilters): FindOptionsWhere<Customer> | FindOptionsWhere<Customer>[] {
  const base = baseWhere(filters)
  const q = filters.q?.trim()
  if (!q) return base
  return SEARCH_COLUMNS.map((column) => ({ ...base, [column]: ILike(`%${escapeLike(q)}%`) }))
}
