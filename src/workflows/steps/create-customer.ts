import type { CreateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { MedusaError } from "medusa-core-utils"
import { Raw } from "typeorm"
import { CustomerJson, duplicateAware, toEventPayload } from "../../lib/customer-writes"
import { historyOrigin } from "../../models/customer-history"
import { insertCreatedEntryStatement } from "../../queries/customer-history"
import { normalizeEmail } from "../../utils/strings"
import { customerStep, StepTools, undoQuietly } from "../context"
import type { CreateValidateData, CustomerCreatedData } from "../create-customer"
import type { WorkflowHook } from "../hooks"
import { runHook } from "./run-hook"

/** What `customerService.create` takes (a store's extension columns included). */
export type CreateCustomerWorkflowInput = CreateCustomerInput & Record<string, unknown>

/** The entity's fields as they will be saved: the email normalised, the password hashed. */
export type PreparedCustomer = { fields: Record<string, unknown>; passwordSet: boolean }

/** The customer as saved, and its `created` history entry (undefined until written). */
export type CreatedCustomer = { customer: CustomerJson; historyId?: string }

/** The create workflow's hooks, as its steps run them. */
export type CreateHooks = { validate: WorkflowHook<CreateValidateData>; customerCreated: WorkflowHook<CustomerCreatedData> }

const withoutPassword = ({ password: _password, ...input }: CreateCustomerWorkflowInput): CreateValidateData => ({ input })

/**
 * The `validate` hook, then core's rules: a password makes an account; without one the caller's
 * `has_account` is kept (social logins create accounts without a password). The hash comes from
 * the service's hashPassword_ (computed before the request's transaction opened, on the routes
 * that take a password). Then the email checked free. Writes nothing.
 */
export const prepareCustomerStep = (hooks: CreateHooks) =>
  customerStep<CreateCustomerWorkflowInput, PreparedCustomer>("medusa-plugin-customers:prepare-customer", async (input, tools) => {
    await runHook(hooks.validate, () => withoutPassword(input), tools)
    const { password, ...fields } = input
    const prepared: Record<string, unknown> = {
      ...fields,
      email: normalizeEmail(input.email),
      has_account: Boolean(password) || Boolean(input.has_account),
    }
    if (password) prepared.password_hash = await tools.customerService.hashPassword_(password)
    await assertEmailAvailable(prepared, tools)
    return { fields: prepared, passwordSet: Boolean(password) }
  })

/** One account per email, one guest per email, case-insensitively (reads only). */
async function assertEmailAvailable(fields: Record<string, unknown>, { customerService, manager }: StepTools): Promise<void> {
  const { customers } = customerService.writeResources(manager)
  const existing = await customers.find({
    select: ["id", "has_account"],
    where: { email: Raw((column) => `lower(${column}) = :email`, { email: fields.email }) },
  })
  if (fields.has_account && existing.some((c) => c.has_account)) {
    throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, "A customer with the given email already has an account. Log in instead")
  }
  if (!fields.has_account && existing.some((c) => !c.has_account)) {
    throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, "Guest customer with email already exists")
  }
}

/**
 * Writes a new customer's `created` entry, with the request's actor and id
 * (lib/request-context.ts), read from the row as inserted; returns its id.
 */
async function recordCreated(customerId: string, passwordSet: boolean, { manager }: StepTools): Promise<string> {
  const origin = historyOrigin()
  const { sql, params } = insertCreatedEntryStatement(customerId, origin, passwordSet)
  await manager.query(sql, params)
  return origin.id
}

/** The entry deleted, then the customer. */
async function undoCreate({ customer, historyId }: Partial<CreatedCustomer>, { manager }: StepTools): Promise<void> {
  if (historyId) await manager.query("DELETE FROM customer_history WHERE id = $1", [historyId])
  if (customer) await manager.query("DELETE FROM customer WHERE id = $1", [customer.id])
}

/**
 * Saves the customer through the store's repository (its entity, defaults and id), writes its
 * history entry, then runs the `customerCreated` hook. Undone by deleting both; a handler that
 * throws has the step undo them itself.
 */
export const insertCustomerStep = (hooks: CreateHooks) =>
  customerStep<PreparedCustomer, CreatedCustomer>(
    "medusa-plugin-customers:insert-customer",
    async ({ fields, passwordSet }, tools) => {
      const { customers } = tools.customerService.writeResources(tools.manager)
      const saved = await duplicateAware(customers.save(customers.create(fields)), Boolean(fields.has_account))
      const done: CreatedCustomer = { customer: toEventPayload(saved) as CustomerJson }
      try {
        done.historyId = await recordCreated(done.customer.id, passwordSet, tools)
        await runHook(hooks.customerCreated, () => ({ customer: done.customer }), tools)
      } catch (err) {
        await undoQuietly(() => undoCreate(done, tools), tools)
        throw err
      }
      return done
    },
    async (done, tools) => await undoCreate(done, tools)
  )
