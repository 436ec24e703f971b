import { createWorkflow, transform } from "@medusajs/workflows-sdk"
import type { CustomerJson } from "../lib/customer-writes"
import { CustomerService } from "@medusajs/medusa"
import { WorkflowHook } from "./hooks"
import { emitCustomerEventStep } from "./steps/emit-event"
import { hookStep } from "./steps/hooks"
import { RecordHistoryInput, recordHistoryStep } from "./steps/record-history"
import {
  assertEmailFreeStep,
  lockCustomerStep,
  prepareUpdateStep,
  replaceGroupsStep,
  updateBillingAddressStep,
  updateCustomerRowStep,
  UpdateCustomerWorkflowInput,
} from "./steps/update-customer"

/** What `validate` handlers get: the customer's id and the update, without the password. */
export type UpdateValidateData = { id: string; update: Omit<UpdateCustomerWorkflowInput["update"], "password"> }
/** What `customerUpdated` handlers get: the customer before and after the change (no password hash). */
export type CustomerUpdatedData = { before: CustomerJson; after: CustomerJson }

const hooks = {
  validate: new WorkflowHook<UpdateValidateData>("validate"),
  customerUpdated: new WorkflowHook<CustomerUpdatedData>("customerUpdated"),
}

/**
 * Every customer update through `customerService` (admin and storefront
 * routes, other plugins): run by `customerService.update` inside the caller's
 * transaction.
 */
const workflow = createWorkflow<UpdateCustomerWorkflowInput, CustomerJson>(
  "medusa-plugin-customers:update-customer",
  function (input) {
    hookStep("medusa-plugin-customers:update-validate-hook", hooks.validate)(
      transform({ input }, ({ input: { id, update } }): UpdateValidateData => {
        const { password: _password, ...rest } = update
        return { id, update: rest }
      })
    )
    const prepared = prepareUpdateStep(input)
    const locked = lockCustomerStep(input)
    assertEmailFreeStep(transform({ input, prepared }, (v) => ({ id: v.input.id, email: v.prepared.email })))
    const billing = updateBillingAddressStep(transform({ input, locked }, (v) => ({ ...v.input, locked: v.locked })))
    const updated = updateCustomerRowStep(
      transform({ input, prepared, billing, locked }, (v) => ({ ...v.input, prepared: v.prepared, billing: v.billing, locked: v.locked }))
    )
    const groups = replaceGroupsStep(
      transform({ input, prepared, locked }, (v) => ({ id: v.input.id, before: v.locked.groupIds, after: v.prepared.groupIds }))
    )
    recordHistoryStep(
      transform({ input, locked, billing, updated, groups }, (v): RecordHistoryInput => ({
        action: "updated",
        customerId: v.input.id,
        before: { ...v.locked.customer, billing_address: v.locked.billingAddress },
        after: { ...v.updated.customer, billing_address: v.billing.addressId ? v.billing.address : v.locked.billingAddress },
        passwordChanged: Boolean(v.input.update.password),
        groups: { before: v.groups.before, after: v.groups.after },
      }))
    )
    hookStep("medusa-plugin-customers:customer-updated-hook", hooks.customerUpdated)(
      transform({ locked, updated }, (v): CustomerUpdatedData => ({ before: v.locked.customer, after: v.updated.customer }))
    )
    // core saves the entity it was given and returns it: a billing address it created and the groups as passed ride along
    const customer = transform({ input, updated, billing }, (v): CustomerJson => ({
      ...v.updated.customer,
      ...(v.billing.createdAddressId ? { billing_address: v.billing.address } : {}),
      ...(v.input.update.groups ? { groups: v.input.update.groups } : {}),
    }))
    emitCustomerEventStep(transform({ customer }, (v) => ({ event: CustomerService.Events.UPDATED, customer: v.customer })))
    return customer
  }
)

/**
 * `updateCustomerWorkflow.hooks.validate(handler)` runs before anything is
 * written (throw a MedusaError to refuse); `hooks.customerUpdated(handler)`
 * after the write with the customer before and after, in its transaction
 * (throw to undo the update). Each returns a function that removes the handler.
 */
export const updateCustomerWorkflow = Object.assign(workflow, {
  hooks: { validate: hooks.validate.register, customerUpdated: hooks.customerUpdated.register },
})

export default updateCustomerWorkflow
