import type { Customer } from "@medusajs/medusa"

/** Relations an admin may expand on a customer (what medusa-js users and the Medusa Admin send). */
export const CUSTOMER_RELATIONS = ["billing_address", "shipping_addresses", "groups", "orders"] as const
export type CustomerRelation = (typeof CUSTOMER_RELATIONS)[number]

/** Columns an admin may select with `fields` (never `password_hash`). */
export const CUSTOMER_FIELDS = [
  "id",
  "email",
  "first_name",
  "last_name",
  "billing_address_id",
  "phone",
  "has_account",
  "created_at",
  "updated_at",
  "deleted_at",
  "metadata",
] as const
export type CustomerField = (typeof CUSTOMER_FIELDS)[number]

/** Columns a list may be ordered by (`-` prefix for descending). */
export const CUSTOMER_ORDER_FIELDS = [
  "id",
  "email",
  "first_name",
  "last_name",
  "phone",
  "has_account",
  "created_at",
  "updated_at",
] as const
export type CustomerOrderField = (typeof CUSTOMER_ORDER_FIELDS)[number]

export type DateRange = { lt?: Date; gt?: Date; lte?: Date; gte?: Date }

export type CustomerListFilters = {
  q?: string
  email?: string
  has_account?: boolean
  groups?: string[]
  created_at?: DateRange
  updated_at?: DateRange
}

export type CustomerQueryConfig = {
  relations: CustomerRelation[]
  /** Columns to return; undefined means every public column. */
  select?: CustomerField[]
}

export type CustomerListConfig = CustomerQueryConfig & {
  skip: number
  take: number
  /** Undefined: by relevance when searching, else newest first. */
  order?: Partial<Record<CustomerOrderField, "ASC" | "DESC">>
}

export type CreateCustomerInput = {
  email: string
  first_name: string
  last_name: string
  password: string
  phone?: string | null
  metadata?: Record<string, unknown> | null
}

export type UpdateCustomerInput = {
  email?: string | null
  first_name?: string | null
  last_name?: string | null
  password?: string | null
  phone?: string | null
  metadata?: Record<string, unknown> | null
  groups?: { id: string }[]
}

/** A customer as it leaves the plugin: never with a password hash. */
export type PublicCustomer = Omit<Customer, "password_hash" | "beforeInsert">
