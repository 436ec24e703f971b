import { createHash } from "crypto"
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
