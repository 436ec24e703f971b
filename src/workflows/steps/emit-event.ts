import type { StagedJob } from "@medusajs/medusa"
import { CustomerJson, reviveCustomer, toEventPayload } from "../../lib/customer-writes"
import { customerStep } from "../context"

/**
 * The step that stages `event` with the customer `customerOf` finds in its
 * input, in the transaction (Medusa's event bus delivers it after commit).
 * Undone by deleting the staged job: nothing is delivered.
 */
export function emitCustomerEventStep<I>(event: string, customerOf: (input: I) => CustomerJson) {
  return customerStep<I, { stagedJobId: string | null }>(
    `medusa-plugin-customers:emit-${event.replace(/\./g, "-")}`, // workflows-sdk paths steps by dots
    async (input, { customerService, manager }) => {
      const { eventBus, entity } = customerService.writeResources(manager)
      const staged = (await eventBus.emit(event, toEventPayload(reviveCustomer(entity, customerOf(input))))) as StagedJob | undefined
      return { stagedJobId: staged?.id ?? null }
    },
    async ({ stagedJobId }, { manager }) => {
      if (stagedJobId) await manager.query("DELETE FROM staged_job WHERE id = $1", [stagedJobId])
    }
  )
}
