import type { SubscriberArgs, SubscriberConfig } from "@medusajs/medusa"
import { CustomerEventData, logCustomerEvent } from "../lib/customer-audit"
import CustomerService from "../services/customer"

/** Audit line for every committed `customer.updated` (the local bus does not pass the event name). */
export default async function customerUpdatedHandler({ data, container }: SubscriberArgs<CustomerEventData>): Promise<void> {
  logCustomerEvent(container, CustomerService.Events.UPDATED, data)
}

export const config: SubscriberConfig = {
  event: CustomerService.Events.UPDATED,
  context: { subscriberId: "medusa-plugin-customers-audit-updated" },
}
