import type {
  CustomerField,
  CustomerListConfig,
  CustomerListFilters,
  CustomerOrderField,
  CustomerQueryConfig,
  CustomerRelation,
} from "../../../types/customers"
import { splitList } from "../../../utils/strings"
import type { AdminGetCustomerParams, AdminGetCustomersParams } from "./validators"

/** What `GET /admin/customers/:id` returns when no `expand` is given (as core). */
export const DEFAULT_RETRIEVE_RELATIONS: CustomerRelation[] = ["orders", "shipping_addresses"]


function toSelect(fields: string | undefined): CustomerField[] | undefined {
  if (!fields) return undefined
  return [...new Set(["id", ...splitList(fields)])] as CustomerField[]
}

function toRelations(expand: string | undefined, defaults: CustomerRelation[]): CustomerRelation[] {
  if (!expand) return defaults
  return [...new Set(splitList(expand))] as CustomerRelation[]
}

export function toRetrieveConfig(params: AdminGetCustomerParams): CustomerQueryConfig {
  return { relations: toRelations(params.expand, DEFAULT_RETRIEVE_RELATIONS), select: toSelect(params.fields) }
}

/** An explicit `order`, or undefined: relevance when searching, newest first otherwise. */
function toOrder(order: string | undefined): CustomerListConfig["order"] {
  if (!order) return undefined
  const field = order.replace(/^-/, "") as CustomerOrderField
  const direction = order.startsWith("-") ? "DESC" : "ASC"
  return field === "id" ? { id: direction } : { [field]: direction, id: direction }
}

export function toListQuery(params: AdminGetCustomersParams): { filters: CustomerListFilters; config: CustomerListConfig } {
  const { q, email, has_account, groups, created_at, updated_at } = params
  return {
    filters: { q, email, has_account, groups, created_at, updated_at },
    config: {
      relations: toRelations(params.expand, []),
      select: toSelect(params.fields),
      order: toOrder(params.order),
      skip: params.offset,
      take: params.limit,
    },
  }
}
