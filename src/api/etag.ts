import { createHash } from "crypto"
import type { MedusaResponse } from "@medusajs/medusa"
import { CUSTOMER_FIELDS } from "../types/customers"

type Row = Record<string, unknown>

function canonical(value: unknown): unknown {
  return value instanceof Date ? value.toISOString() : value
}

/**
 * A strong ETag for a customer: a hash of its columns (not its relations), so
 * any write changes it. Undefined when the object lacks columns (`fields=`).
 */
export function customerEtag(customer: Row): string | undefined {
  if (!CUSTOMER_FIELDS.every((field) => field in customer)) return undefined
  const digest = createHash("sha256")
    .update(JSON.stringify(CUSTOMER_FIELDS.map((field) => canonical(customer[field]))))
    .digest("base64url")
    .slice(0, 27)
  return `"${digest}"`
}

export function setCustomerEtag(res: MedusaResponse, customer: Row): void {
  const etag = customerEtag(customer)
  if (etag) res.setHeader("ETag", etag)
}

/** The ETags an `If-Match` header lists (`*` matches any existing customer). */
export function parseIfMatch(header: string | undefined): string[] | undefined {
  if (header === undefined) return undefined
  return header
    .split(",")
    .map((tag) => tag.trim())
    .filter(Boolean)
}
