import { Customer, CustomerService as MedusaCustomerService, setMetadata } from "@medusajs/medusa"
import type { CustomerGroupRepository } from "@medusajs/medusa/dist/repositories/customer-group"
import type { CreateCustomerInput, UpdateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { MedusaError } from "medusa-core-utils"
import { EntityManager, In, Not, Raw } from "typeorm"
import type { CustomerListConfig, CustomerListFilters, CustomerQueryConfig } from "../types/customers"
import { normalizeEmail } from "../utils/strings"
import { findCustomerIds } from "../queries/customer-list"

type InjectedDependencies = ConstructorParameters<typeof MedusaCustomerService>[0] & {
  manager: EntityManager
  customerGroupRepository: typeof CustomerGroupRepository
}

/** A copy of `customer` without `password_hash`, for event payloads. */
export function toEventPayload(customer: Customer): Record<string, unknown> {
  const { password_hash: _hash, ...rest } = customer as Customer & Record<string, unknown>
  return { ...rest }
}

function stripPasswordHash<T extends object>(entity: T): T {
  Reflect.deleteProperty(entity, "password_hash")
  return entity
}

/**
 * Medusa's CustomerService, registered as `customerService` for every consumer
 * (core auth and store routes included), with the admin API's corrections:
 * normalised emails, atomic updates, no password hashes in results or events.
 */
class CustomerService extends MedusaCustomerService {
  protected readonly customerGroupRepository_: typeof CustomerGroupRepository

  constructor(container: InjectedDependencies) {
    super(container)
    this.customerGroupRepository_ = container.customerGroupRepository
  }

  /** One page of customers plus the exact total, for `GET /admin/customers`. */
  async listAndCountForAdmin(filters: CustomerListFilters, config: CustomerListConfig): Promise<[Customer[], number]> {
    const manager = this.activeManager_
    const { ids, count } = await findCustomerIds(manager, filters, config)
    if (ids.length === 0) return [[], count]
    const rows = await manager.withRepository(this.customerRepository_).find({
      where: { id: In(ids) },
      select: config.select,
      relations: config.relations,
    })
    const byId = new Map(rows.map((row) => [row.id, row]))
    return [ids.map((id) => byId.get(id)).filter((c): c is Customer => c !== undefined), count]
  }

  /** One customer with the requested relations and columns, for the admin routes. */
  async retrieveForAdmin(customerId: string, config: CustomerQueryConfig): Promise<Customer> {
    return await this.retrieve(customerId, { relations: config.relations, select: config.select })
  }

  async create(input: CreateCustomerInput): Promise<Customer> {
    return await this.atomicPhase_(async (manager) => {
      const repo = manager.withRepository(this.customerRepository_)
      const { password, ...fields } = input
      const email = normalizeEmail(input.email) as string
      const hasAccount = Boolean(password) || Boolean(input.password_hash)

      const existing = await repo.find({
        select: ["id", "has_account"],
        where: { email: Raw((column) => `lower(${column}) = :email`, { email }) },
      })
      if (hasAccount && existing.some((c) => c.has_account)) {
        throw new MedusaError(
          MedusaError.Types.DUPLICATE_ERROR,
          "A customer with the given email already has an account. Log in instead"
        )
      }
      if (!hasAccount && existing.some((c) => !c.has_account)) {
        throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, "Guest customer with email already exists")
      }

      const entity = repo.create({ ...fields, email, has_account: hasAccount })
      if (password) entity.password_hash = await this.hashPassword_(password)
      const saved = stripPasswordHash(await repo.save(entity))

      await this.eventBusService_.withTransaction(manager).emit(CustomerService.Events.CREATED, toEventPayload(saved))
      return saved
    })
  }

  async update(customerId: string, update: UpdateCustomerInput): Promise<Customer> {
    return await this.atomicPhase_(async (manager) => {
      const repo = manager.withRepository(this.customerRepository_)
      // The row lock serialises concurrent updates: metadata merges never lose keys.
      const customer = await repo.findOne({ where: { id: customerId }, lock: { mode: "pessimistic_write" } })
      if (!customer) {
        throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found`)
      }

      const { password, metadata, billing_address, billing_address_id, groups, email, ...rest } = update

      if (typeof email === "string") {
        const normalized = normalizeEmail(email) as string
        if (normalized !== customer.email) await this.assertEmailAvailable(manager, normalized, customer)
        customer.email = normalized
      }
      if (metadata) customer.metadata = setMetadata(customer, metadata)
      if ("billing_address_id" in update || "billing_address" in update) {
        const address = billing_address_id || billing_address
        if (address !== undefined && address !== null) await this.updateBillingAddress_(customer, address)
      }
      Object.assign(customer, rest)
      if (password) customer.password_hash = await this.hashPassword_(password)
      if (groups) customer.groups = await this.findGroups(manager, groups)

      const saved = stripPasswordHash(await repo.save(customer))
      await this.eventBusService_.withTransaction(manager).emit(CustomerService.Events.UPDATED, toEventPayload(saved))
      return saved
    })
  }

  private async assertEmailAvailable(manager: EntityManager, email: string, customer: Customer): Promise<void> {
    const taken = await manager.withRepository(this.customerRepository_).exist({
      where: {
        id: Not(customer.id),
        has_account: customer.has_account,
        email: Raw((column) => `lower(${column}) = :email`, { email }),
      },
    })
    if (taken) {
      throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, "A customer with the given email already exists")
    }
  }

  private async findGroups(manager: EntityManager, refs: { id: string }[]): Promise<Customer["groups"]> {
    const ids = [...new Set(refs.map((ref) => ref.id))]
    if (ids.length === 0) return []
    const found = await manager.withRepository(this.customerGroupRepository_).find({ where: { id: In(ids) } })
    const missing = ids.filter((id) => !found.some((group) => group.id === id))
    if (missing.length) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer group with id: ${missing[0]} was not found`)
    }
    return found
  }
}

export default CustomerService
