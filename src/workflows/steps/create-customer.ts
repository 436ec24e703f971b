import type { CreateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { MedusaError } from "medusa-core-utils"
import { Raw } from "typeorm"
import { CustomerJson, duplicateAware, toEventPayload } from "../../lib/customer-writes"
import { normalizeEmail } from "../../utils/strings"
import { customerStep } from "../context"

/** What `customerService.create` takes (a store's extension columns included). */
export type CreateCustomerWorkflowInput = CreateCustomerInput & Record<string, unknown>

/** The entity's fields as they will be saved: the email normalised, the password hashed. */
export type PreparedCustomer = { fields: Record<string, unknown>; passwordSet: boolean }

/**
 * Core's rules: a password makes an account; without one the caller's
 * `has_account` is kept (social logins create accounts without a password).
 * The hash comes from the service's hashPassword_ (computed before the
 * request's transaction opened, on the routes that take a password).
 */
export const prepareCustomerStep = customerStep<CreateCustomerWorkflowInput, PreparedCustomer>(
  "medusa-plugin-customers:prepare-customer",
  async (input, { customerService }) => {
    const { password, ...fields } = input
    const prepared: Record<string, unknown> = {
      ...fields,
      email: normalizeEmail(input.email),
      has_account: Boolean(password) || Boolean(input.has_account),
    }
    if (password) prepared.password_hash = await customerService.hashPassword_(password)
    return { fields: prepared, passwordSet: Boolean(password) }
  }
)

/** One account per email, one guest per email, case-insensitively (reads only). */
export const assertEmailAvailableStep = customerStep<PreparedCustomer, null>(
  "medusa-plugin-customers:assert-email-available",
  async ({ fields }, { customerService, manager }) => {
    const { customers } = customerService.writeResources(manager)
    const existing = await customers.find({
      select: ["id", "has_account"],
      where: { email: Raw((column) => `lower(${column}) = :email`, { email: fields.email }) },
    })
    if (fields.has_account && existing.some((c) => c.has_account)) {
      throw new MedusaError(
        MedusaError.Types.DUPLICATE_ERROR,
        "A customer with the given email already has an account. Log in instead"
      )
    }
    if (!fields.has_account && existing.some((c) => !c.has_account)) {
      throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, "Guest customer with email already exists")
    }
    return null
  }
)

/** Saves the customer through the store's repository (its entity, defaults and id). Undone by deleting it. */
export const insertCustomerStep = customerStep<PreparedCustomer, CustomerJson>(
  "medusa-plugin-customers:insert-customer",
  async ({ fields }, { customerService, manager }) => {
    const { customers } = customerService.writeResources(manager)
    const saved = await duplicateAware(customers.save(customers.create(fields)), Boolean(fields.has_account))
    return toEventPayload(saved) as CustomerJson
  },
  async (customer, { manager }) => {
    await manager.query("DELETE FROM customer WHERE id = $1", [customer.id])
  }
)
