import { createWorkflow } from "@medusajs/workflows-sdk"
import type { CustomerJson } from "../lib/customer-writes"
import { CustomerService } from "@medusajs/medusa"
import type { UpdateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { CustomerWorkflow, WorkflowHook } from "./hooks"
import { emitCustomerEventStep } from "./steps/emit-event"
import { CustomerUpdate, updateCustomerStep, UpdateCustomerWorkflowInput } from "./steps/update-customer"

/** What `validate` handlers get: the customer's id and the update, without the password. */
export type UpdateValidateData = { id: string; update: Omit<UpdateCustomerInput, "password"> & Record<string, unknown> }
/** What `customerUpdated` handlers get: the customer before and after the change (no password hash). */
export type CustomerUpdatedData = { before: CustomerJson; after: CustomerJson }

const hooks = {
  validate: new WorkflowHook<UpdateValidateData>("validate"),
  customerUpdated: new WorkflowHook<CustomerUpdatedData>("customerUpdated"),
}

/**
 * Every customer update through `customerService` (admin and storefront
 * routes, other plugins): run by `customerService.update` inside the caller's
 * transaction. Two steps: the update (its hooks run inside it, so an update
 * with no handler pays no engine step for them) and the event.
 */
const workflow = createWorkflow<UpdateCustomerWorkflowInput, CustomerUpdate>(
  "medusa-plugin-customers:update-customer",
  function (input) {
    const done = updateCustomerStep(hooks)(input)
    emitCustomerEventStep(CustomerService.Events.UPDATED, ({ customer }: CustomerUpdate) => customer)(done)
    return done
  }
)

/**
 * `updateCustomerWorkflow.hooks.validate(handler)` runs before anything is
 * written (throw a MedusaError to refuse); `hooks.customerUpdated(handler)`
 * after the write with the customer before and after, in its transaction
 * (throw to undo the update). Each returns a function that removes the handler.
 */
export const updateCustomerWorkflow: CustomerWorkflow<UpdateCustomerWorkflowInput, CustomerUpdate, { validate: WorkflowHook<UpdateValidateData>["register"]; customerUpdated: WorkflowHook<CustomerUpdatedData>["register"] }> = Object.assign(workflow, {
  hooks: { validate: hooks.validate.register, customerUpdated: hooks.customerUpdated.register },
})

export default updateCustomerWorkflow
