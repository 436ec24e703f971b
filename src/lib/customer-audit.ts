import type { Logger, MedusaContainer } from "@medusajs/medusa"

export type CustomerEventData = { id?: string } & Record<string, unknown>

/** The audit line a customer event leaves: the id and the payload's keys, never values. */
export function auditLine(eventName: string, data: CustomerEventData | undefined): string {
  const keys = Object.keys(data ?? {}).sort().join(",")
  return `[medusa-plugin-customers] ${eventName} ${data?.id ?? "?"} keys=${keys}`
}

export function logCustomerEvent(container: MedusaContainer, eventName: string, data: CustomerEventData): void {
  container.resolve<Logger>("logger").info(auditLine(eventName, data))
}
