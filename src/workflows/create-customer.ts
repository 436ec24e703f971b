import { createWorkflow } from "@medusajs/workflows-sdk"
import type { CustomerJson } from "../lib/customer-writes"
import { CustomerService } from "@medusajs/medusa"
import type { CreateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { CustomerWorkflow, WorkflowHook } from "./hooks"
import {
  assertEmailAvailableStep,
  CreateCustomerWorkflowInput,
  insertCustomerStep,
  prepareCustomerStep,
} from "./steps/create-customer"
import { emitCustomerEventStep } from "./steps/emit-event"
import { hookStep } from "./steps/hooks"
import { recordCreatedStep } from "./steps/record-created"

/** What `validate` handlers get: the create's input, without the password. */
export type CreateValidateData = { input: Omit<CreateCustomerInput, "password"> & Record<string, unknown> }
/** What `customerCreated` handlers get: the customer as saved (no password hash). */
export type CustomerCreatedData = { customer: CustomerJson }

const hooks = {
  validate: new WorkflowHook<CreateValidateData>("validate"),
  customerCreated: new WorkflowHook<CustomerCreatedData>("customerCreated"),
}

const withoutPassword = ({ password: _password, ...input }: CreateCustomerWorkflowInput): CreateValidateData => ({ input })

/**
 * Every customer created through `customerService` (admin and storefront
 * routes, carts' and draft orders' guests, other plugins): run by
 * `customerService.create` inside the caller's transaction.
 */
const workflow = createWorkflow<CreateCustomerWorkflowInput, CustomerJson>(
  "medusa-plugin-customers:create-customer",
  function (input) {
    hookStep("medusa-plugin-customers:create-validate-hook", hooks.validate, withoutPassword)(input)
    const prepared = prepareCustomerStep(input)
    assertEmailAvailableStep(prepared)
    const customer = insertCustomerStep(prepared)
    recordCreatedStep({ customer, prepared })
    hookStep("medusa-plugin-customers:customer-created-hook", hooks.customerCreated, (customer: CustomerJson): CustomerCreatedData => ({ customer }))(customer)
    emitCustomerEventStep(CustomerService.Events.CREATED, (customer: CustomerJson) => customer)(customer)
    return customer
  }
)

/**
 * `createCustomerWorkflow.hooks.validate(handler)` runs before anything is
 * written (throw a MedusaError to refuse); `hooks.customerCreated(handler)`
 * after the write, in its transaction (throw to undo the create). Each returns
 * a function that removes the handler.
 */
export const createCustomerWorkflow: CustomerWorkflow<CreateCustomerWorkflowInput, CustomerJson, { validate: WorkflowHook<CreateValidateData>["register"]; customerCreated: WorkflowHook<CustomerCreatedData>["register"] }> = Object.assign(workflow, {
  hooks: { validate: hooks.validate.register, customerCreated: hooks.customerCreated.register },
})

export default createCustomerWorkflow
