import type { StagedJob } from "@medusajs/medusa"
import { CustomerJson, reviveCustomer, toEventPayload } from "../../lib/customer-writes"
import { customerStep } from "../context"

export type EmitEventInput = { event: string; customer: CustomerJson }

/**
 * Stages the customer event in the transaction (Medusa's event bus delivers it
 * after commit). Undone by deleting the staged job: nothing is delivered.
 */
export const emitCustomerEventStep = customerStep<EmitEventInput, { stagedJobId: string | null }>(
  "medusa-plugin-customers:emit-event",
  async ({ event, customer }, { customerService, manager }) => {
    const { eventBus, entity } = customerService.writeResources(manager)
    const staged = (await eventBus.emit(event, toEventPayload(reviveCustomer(entity, customer)))) as StagedJob | undefined
    return { stagedJobId: staged?.id ?? null }
  },
  async ({ stagedJobId }, { manager }) => {
    if (stagedJobId) await manager.query("DELETE FROM staged_job WHERE id = $1", [stagedJobId])
  }
)
