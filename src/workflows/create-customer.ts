import { createWorkflow } from "@medusajs/workflows-sdk"
import type { CustomerJson } from "../lib/customer-writes"
import { CustomerService } from "@medusajs/medusa"
import type { CreateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { CustomerWorkflow, WorkflowHook } from "./hooks"
import { CreateCustomerWorkflowInput, CreatedCustomer, insertCustomerStep, prepareCustomerStep } from "./steps/create-customer"
import { emitCustomerEventStep } from "./steps/emit-event"

/** What `validate` handlers get: the create's input, without the password. */
export type CreateValidateData = { input: Omit<CreateCustomerInput, "password"> & Record<string, unknown> }
/** What `customerCreated` handlers get: the customer as saved (no password hash). */
export type CustomerCreatedData = { customer: CustomerJson }

const hooks = {
  validate: new WorkflowHook<CreateValidateData>("validate"),
  customerCreated: new WorkflowHook<CustomerCreatedData>("customerCreated"),
}

/**
 * Every customer created through `customerService` (admin and storefront
 * routes, carts' and draft orders' guests, other plugins): run by
 * `customerService.create` inside the caller's transaction. Three steps: the
 * checks (with the `validate` hook), the insert with its history entry (and
 * the `customerCreated` hook), the event.
 */
const workflow = createWorkflow<CreateCustomerWorkflowInput, CreatedCustomer>(
  "medusa-plugin-customers:create-customer",
  function (input) {
    const prepared = prepareCustomerStep(hooks)(input)
    const created = insertCustomerStep(hooks)(prepared)
    emitCustomerEventStep(CustomerService.Events.CREATED, ({ customer }: CreatedCustomer) => customer)(created)
    return created
  }
)

/**
 * `createCustomerWorkflow.hooks.validate(handler)` runs before anything is
 * written (throw a MedusaError to refuse); `hooks.customerCreated(handler)`
 * after the write, in its transaction (throw to undo the create). Each returns
 * a function that removes the handler.
 */
export const createCustomerWorkflow: CustomerWorkflow<CreateCustomerWorkflowInput, CreatedCustomer, { validate: WorkflowHook<CreateValidateData>["register"]; customerCreated: WorkflowHook<CustomerCreatedData>["register"] }> = Object.assign(workflow, {
  hooks: { validate: hooks.validate.register, customerCreated: hooks.customerCreated.register },
})

export default createCustomerWorkflow
