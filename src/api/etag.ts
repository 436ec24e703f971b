import type { MedusaResponse } from "@medusajs/medusa"
import { customerEtag } from "../lib/etag"

type Row = Record<string, unknown>

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
