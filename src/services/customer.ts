import { Customer, CustomerService as MedusaCustomerService } from "@medusajs/medusa"
import type { CustomerGroupRepository } from "@medusajs/medusa/dist/repositories/customer-group"
import type { CreateCustomerInput, UpdateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { MedusaError } from "medusa-core-utils"
import { EntityManager, In, Raw } from "typeorm"
import type { CustomerListConfig, CustomerListFilters, CustomerQueryConfig } from "../types/customers"
import { isEmailUniqueViolation } from "../lib/email-unique"
import { customerEtag } from "../lib/etag"
import { SEARCH_COLUMNS } from "../lib/search-columns"
import { PreconditionFailedError } from "../lib/errors"
import { passwordHash } from "../lib/password"
import { CustomersPluginOptions, ResolvedOptions, validateOptions } from "../options"
import { normalizeEmail } from "../utils/strings"
import { findCustomerIds, listBodyJson } from "../queries/customer-list"
import { CustomerRow, loadCustomerRows } from "../queries/customer-rows"
import type { Statement } from "../queries/customer-search"
import {
  emailTakenStatement,
  lockedCustomerStatement,
  replaceGroupsStatements,
  updateCustomerStatement,
} from "../queries/customer-update"
import { columnValues, CustomerEntity, hydrateRow } from "../lib/customer-columns"

const sql = (statement: Statement): [string, unknown[]] => [statement.sql, statement.params]

type InjectedDependencies = ConstructorParameters<typeof MedusaCustomerService>[0] & {
  manager: EntityManager
  customerGroupRepository: typeof CustomerGroupRepository
}

/** A copy of `customer` without `password_hash` and the stored search texts, for event payloads. */
export function toEventPayload(customer: Customer): Record<string, unknown> {
  return stripInternalColumns({ ...(customer as Customer & Record<string, unknown>) })
}

/**
 * A write that lost a race to the unique email index (the service's own check
 * passed in both transactions): the same 422 as the check, no SQL text.
 */
async function duplicateAware<T>(write: Promise<T>, hasAccount: boolean | undefined): Promise<T> {
  try {
    return await write
  } catch (err) {
    if (!isEmailUniqueViolation(err)) throw err
    throw new MedusaError(
      MedusaError.Types.DUPLICATE_ERROR,
      hasAccount === false
        ? "Guest customer with email already exists"
        : hasAccount
          ? "A customer with the given email already has an account. Log in instead"
          : "A customer with the given email already exists"
    )
  }
}

/** The columns no result or event carries: the hash, and the stored search texts (not part of the model). */
const INTERNAL_COLUMNS = ["password_hash", ...SEARCH_COLUMNS]

function stripInternalColumns<T extends object>(entity: T): T {
  for (const column of INTERNAL_COLUMNS) Reflect.deleteProperty(entity, column)
  return entity
}

/**
 * Medusa's CustomerService, registered as `customerService` for every consumer
 * (core auth and store routes included), with the admin API's corrections:
 * normalised emails, atomic updates, no password hashes in results or events.
 */
class CustomerService extends MedusaCustomerService {
  protected readonly customerGroupRepository_: typeof CustomerGroupRepository

  protected options_: ResolvedOptions

  /** `options`: the plugin's options from medusa-config.js, checked here (an error names the option). */
  constructor(container: InjectedDependencies, options?: CustomersPluginOptions) {
    super(container)
    this.customerGroupRepository_ = container.customerGroupRepository
    this.options_ = validateOptions(options)
  }

  /** Core's clone for a transaction does not pass the options on: copy them. */
  withTransaction(transactionManager?: EntityManager): this {
    const clone = super.withTransaction(transactionManager)
    clone.options_ = this.options_
    return clone
  }

  /**
   * scrypt at logN 15, r 8 (core: logN 1, r 1), with bounded concurrent hashing;
   * on the routes that take a password the hash was computed before their
   * transaction opened, so no pool connection waits on scrypt.
   */
  async hashPassword_(password: string): Promise<string> {
    return await passwordHash(password)
  }

  /** One page of customers plus the exact total, for `GET /admin/customers`. */
  async listAndCountForAdmin(filters: CustomerListFilters, config: CustomerListConfig): Promise<[CustomerRow[], number]> {
    const manager = this.activeManager_
    const { ids, count, rows } = await findCustomerIds(manager, filters, config, this.options_, "rows")
    return [await loadCustomerRows(manager, ids, config, rows), count]
  }

  /**
   * The body of `GET /admin/customers` as JSON text, the same bytes `res.json`
   * writes for `listAndCountForAdmin`'s result. A page without `expand` and
   * `fields` (the default list, every search) is written by PostgreSQL row by
   * row in the page's own statement (queries/customer-json.ts).
   */
  async listForAdminAsJson(filters: CustomerListFilters, config: CustomerListConfig): Promise<string> {
    return await listBodyJson(this.activeManager_, filters, config, this.options_)
  }

  /**
   * One customer with the requested relations and columns, for the admin routes:
   * a single joined query (core's `findOne` adds a second, DISTINCT one).
   */
  async retrieveForAdmin(customerId: string, config: CustomerQueryConfig): Promise<Customer> {
    const [customer] = await this.activeManager_.withRepository(this.customerRepository_).find({
      where: { id: customerId },
      select: config.select,
      relations: config.relations,
      relationLoadStrategy: "join",
    })
    if (!customer) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found`)
    return customer
  }

  /**
   * Core's create: a password makes an account; without one the caller's
   * `has_account` is kept (social logins create accounts without a password),
   * and the duplicate checks apply to the kind of customer being created.
   */
  async create(input: CreateCustomerInput): Promise<Customer> {
    return await this.atomicPhase_(async (manager) => {
      const repo = manager.withRepository(this.customerRepository_)
      const { password, ...fields } = input
      const email = normalizeEmail(input.email) as string
      const hasAccount = Boolean(password) || Boolean(input.has_account)

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
      const saved = stripInternalColumns(await duplicateAware(repo.save(entity), hasAccount))

      await this.eventBusService_.withTransaction(manager).emit(CustomerService.Events.CREATED, toEventPayload(saved))
      return saved
    })
  }

  /**
   * Writes every column of the store's Customer entity that `update` names
   * (a store's extension columns included) in one statement; a key that is no
   * column is refused (INVALID_DATA), not dropped. `options.ifMatch`: the ETags
   * the client last saw; another current version is a PreconditionFailedError.
   */
  async update(customerId: string, update: UpdateCustomerInput, options: { ifMatch?: string[] } = {}): Promise<Customer> {
    return await this.atomicPhase_(async (manager) => {
      const entity = this.customerEntity(manager)
      const { password, metadata, billing_address, billing_address_id, groups, email, ...rest } = update as UpdateCustomerInput &
        Record<string, unknown>
      const columns = columnValues(entity, customerId, rest)
      if (options.ifMatch) await this.assertVersion(manager, customerId, options.ifMatch)

      if (email !== undefined) {
        if (typeof email !== "string") throw new MedusaError(MedusaError.Types.INVALID_DATA, "email must be a string")
        const normalized = normalizeEmail(email)
        const [{ taken }] = await manager.query(...sql(emailTakenStatement(customerId, normalized)))
        if (taken) throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, "A customer with the given email already exists")
        Object.assign(columns, columnValues(entity, customerId, { email: normalized }))
      }
      if (password) Object.assign(columns, columnValues(entity, customerId, { password_hash: await this.hashPassword_(password) }))
      let createdAddress: Customer["billing_address"] | undefined
      if ("billing_address_id" in update || "billing_address" in update) {
        const address = billing_address_id || billing_address
        if (address !== undefined && address !== null) {
          const customer = await this.retrieve(customerId)
          await this.updateBillingAddress_(customer, address)
          createdAddress = customer.billing_address ?? undefined
          const addressId = customer.billing_address?.id ?? customer.billing_address_id
          Object.assign(columns, columnValues(entity, customerId, { billing_address_id: addressId }))
        }
      }
      const groupIds = groups ? await this.findGroupIds(manager, groups) : undefined

      const updated = manager.query(...sql(updateCustomerStatement(customerId, columns, metadata)))
      const [row] = (await duplicateAware(updated, undefined))[0] as Record<string, unknown>[]
      if (!row) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found`)
      if (groupIds) {
        for (const statement of replaceGroupsStatements(customerId, groupIds)) await manager.query(...sql(statement))
      }

      const saved = stripInternalColumns(hydrateRow(entity, row)) as Customer
      // core saves the entity it was given and returns it: a billing address it created and the groups as passed ride along
      if (createdAddress) saved.billing_address = createdAddress
      if (groups) saved.groups = groups as Customer["groups"]
      await this.eventBusService_.withTransaction(manager).emit(CustomerService.Events.UPDATED, toEventPayload(saved))
      return saved
    })
  }

  /** The customerRepository's entity: core's Customer, or the store's extension of it. */
  private customerEntity(manager: EntityManager): CustomerEntity {
    return { metadata: manager.withRepository(this.customerRepository_).metadata, driver: manager.connection.driver }
  }

  /** Locks the row and compares its ETag with `ifMatch` (`*`: any existing customer). */
  private async assertVersion(manager: EntityManager, customerId: string, ifMatch: string[]): Promise<void> {
    const [row] = await manager.query(...sql(lockedCustomerStatement(customerId)))
    if (!row) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found`)
    if (!ifMatch.includes("*") && !ifMatch.includes(customerEtag(row) ?? "")) throw new PreconditionFailedError()
  }

  private async findGroupIds(manager: EntityManager, refs: { id: string }[]): Promise<string[]> {
    const ids = [...new Set(refs.map((ref) => ref.id))]
    if (ids.length === 0) return []
    const found = await manager
      .withRepository(this.customerGroupRepository_)
      .find({ select: ["id"], where: { id: In(ids) } })
    const missing = ids.filter((id) => !found.some((group) => group.id === id))
    if (missing.length) {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer group with id: ${missing[0]} was not found`)
    }
    return ids
  }
}

export default CustomerService
