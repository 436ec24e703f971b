import { historyOrigin } from "../../models/customer-history"
import { insertCreatedEntryStatement } from "../../queries/customer-history"
import type { CustomerJson } from "../../lib/customer-writes"
import { customerStep } from "../context"
import type { PreparedCustomer } from "./create-customer"

export type RecordCreatedInput = { customer: CustomerJson; prepared: PreparedCustomer }

/**
 * Writes a new customer's `created` entry in the create's transaction, with the
 * request's actor and id (lib/request-context.ts), read from the row as
 * inserted. Undone by deleting it. (An update writes its entry in its own
 * statement: steps/update-customer.ts.)
 */
export const recordCreatedStep = customerStep<RecordCreatedInput, { id: string }>(
  "medusa-plugin-customers:record-created",
  async ({ customer, prepared }, { manager }) => {
    const origin = historyOrigin()
    const { sql, params } = insertCreatedEntryStatement(customer.id, origin, prepared.passwordSet)
    await manager.query(sql, params)
    return { id: origin.id }
  },
  async ({ id }, { manager }) => {
    await manager.query("DELETE FROM customer_history WHERE id = $1", [id])
  }
)
