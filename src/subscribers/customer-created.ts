import type { SubscriberArgs, SubscriberConfig } from "@medusajs/medusa"
import { CustomerEventData, logCustomerEvent } from "../lib/customer-audit"
import CustomerService from "../services/customer"

/** Audit line for every committed `customer.created` (the local bus does not pass the event name). */
export default async function customerCreatedHandler({ data, container }: SubscriberArgs<CustomerEventData>): Promise<void> {
  logCustomerEvent(container, CustomerService.Events.CREATED, data)
}

export const config: SubscriberConfig = {
  event: CustomerService.Events.CREATED,
  context: { subscriberId: "medusa-plugin-customers-audit-created" },
}
