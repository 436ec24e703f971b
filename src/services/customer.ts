import { Customer, CustomerService as MedusaCustomerService } from "@medusajs/medusa"
import type { CustomerGroupRepository } from "@medusajs/medusa/dist/repositories/customer-group"
import type { CreateCustomerInput, UpdateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { MedusaError } from "medusa-core-utils"
import type { FindConfig } from "@medusajs/medusa/dist/types/common"
import type { EntityManager } from "typeorm"
import type { CustomerListConfig, CustomerListFilters, CustomerQueryConfig } from "../types/customers"
import { passwordHash } from "../lib/password"
import { CustomersPluginOptions, ResolvedOptions, validateOptions } from "../options"
import { findCustomerIds, listBodyJson } from "../queries/customer-list"
import { CustomerRow, loadCustomerRows } from "../queries/customer-rows"
import type { CustomerEntity } from "../lib/customer-columns"
import { reviveCustomer, WriteResources } from "../lib/customer-writes"
import type { CreateCustomerWorkflowInput, CreatedCustomer } from "../workflows/steps/create-customer"
import type { CustomerUpdate, UpdateCustomerWorkflowInput } from "../workflows/steps/update-customer"
import { CustomerHistory } from "../models/customer-history"
import { concurrently } from "../queries/concurrently"
import { emailInAnyCaseStatement, emailsInAnyCaseStatement } from "../queries/customer-email"
import { storeContainer } from "../workflows/hooks"
import { runCustomerWorkflow } from "../workflows/run"
import { createCustomerWorkflow } from "../workflows/create-customer"
import { updateCustomerWorkflow } from "../workflows/update-customer"

export { toEventPayload } from "../lib/customer-writes"

type InjectedDependencies = ConstructorParameters<typeof MedusaCustomerService>[0] & {
  manager: EntityManager
  customerGroupRepository: typeof CustomerGroupRepository
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
    return [await loadCustomerRows(manager, ids, config, this.options_.preparedStatements, rows), count]
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
   * serialising byte for byte as core's TypeORM entity, built by the list's row
   * loader (queries/customer-rows.ts) instead of a joined `find` and hydration.
   */
  async retrieveForAdmin(customerId: string, config: CustomerQueryConfig): Promise<CustomerRow> {
    const [customer] = await loadCustomerRows(this.activeManager_, [customerId], config, this.options_.preparedStatements)
    if (!customer) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found`)
    return customer
  }

  /**
   * Core's create, as the createCustomerWorkflow (workflows/create-customer.ts)
   * in this service's transaction: a password makes an account; without one the
   * caller's `has_account` is kept (social logins create accounts without a
   * password); the duplicate checks apply to the kind of customer being created.
   */
  async create(input: CreateCustomerInput): Promise<Customer> {
    return await this.atomicPhase_(async (manager) => {
      const service = this.withTransaction(manager)
      const { customer } = await runCustomerWorkflow<CreateCustomerWorkflowInput, CreatedCustomer>(createCustomerWorkflow, { manager, customerService: service, container: storeContainer(this.__container__) }, input as CreateCustomerWorkflowInput)
      return reviveCustomer(service.customerEntity(manager), customer)
    })
  }

  /**
   * Writes every column of the store's Customer entity that `update` names
   * (a store's extension columns included) in one statement; a key that is no
   * column is refused (INVALID_DATA), not dropped. `options.ifMatch`: the ETags
   * the client last saw; another current version is a PreconditionFailedError.
   * Runs the updateCustomerWorkflow (workflows/update-customer.ts) in this
   * service's transaction.
   */
  async update(customerId: string, update: UpdateCustomerInput, options: { ifMatch?: string[] } = {}): Promise<Customer> {
    return await this.atomicPhase_(async (manager) => {
      const service = this.withTransaction(manager)
      const input: UpdateCustomerWorkflowInput = { id: customerId, update: undefinedKeysRemoved(update), ifMatch: options.ifMatch }
      const { customer } = await runCustomerWorkflow<UpdateCustomerWorkflowInput, CustomerUpdate>(updateCustomerWorkflow, { manager, customerService: service, container: storeContainer(this.__container__) }, input)
      return reviveCustomer(service.customerEntity(manager), customer)
    })
  }

  /*
   * Core's lookups by email match the lower-cased email exactly. Emails are
   * lower-cased on every write now, but a customer saved in capitals before
   * the plugin (core's update kept the case) must still be found by a cart
   * setting its email, a login or a password reset: such a lookup that finds
   * nothing asks again in any case.
   */
  async retrieveByEmail(email: string, config: FindConfig<Customer> = {}): Promise<Customer> {
    return await this.inAnyCase(() => super.retrieveByEmail(email, config), email, undefined, config)
  }

  async retrieveRegisteredByEmail(email: string, config: FindConfig<Customer> = {}): Promise<Customer> {
    return await this.inAnyCase(() => super.retrieveRegisteredByEmail(email, config), email, true, config)
  }

  async retrieveUnregisteredByEmail(email: string, config: FindConfig<Customer> = {}): Promise<Customer> {
    return await this.inAnyCase(() => super.retrieveUnregisteredByEmail(email, config), email, false, config)
  }

  async listByEmail(email: string, config: FindConfig<Customer> = { relations: [], skip: 0, take: 2 }): Promise<Customer[]> {
    const exact = await super.listByEmail(email, config)
    if (exact.length || typeof email !== "string") return exact
    const { sql, params } = emailsInAnyCaseStatement(email)
    const rows: { id: string }[] = await this.activeManager_.query(sql, params)
    return rows.length ? await this.list({ id: rows.map((row) => row.id) }, config) : exact
  }

  private async inAnyCase(exact: () => Promise<Customer>, email: unknown, hasAccount: boolean | undefined, config: FindConfig<Customer>): Promise<Customer> {
    try {
      return await exact()
    } catch (err) {
      // by its type: medusa-core-utils' MedusaError does not survive `instanceof` (an ES5 subclass of Error)
      if (typeof email !== "string" || (err as { type?: string }).type !== MedusaError.Types.NOT_FOUND) throw err
      const { sql, params } = emailInAnyCaseStatement(email, hasAccount)
      const [row]: { id: string }[] = await this.activeManager_.query(sql, params)
      if (!row) throw err
      return await this.retrieve(row.id, config)
    }
  }

  /** A page of one customer's history, newest first, and the customer's number of entries (NOT_FOUND for an unknown customer). */
  async listHistory(customerId: string, page: { skip: number; take: number }): Promise<[CustomerHistory[], number]> {
    const manager = this.activeManager_
    const entries = manager.getRepository(CustomerHistory)
    const [found, history, count] = await concurrently(
      manager,
      () => manager.withRepository(this.customerRepository_).exist({ where: { id: customerId } }),
      () => entries.find({ where: { customer_id: customerId }, order: { created_at: "DESC", id: "DESC" }, ...page }),
      () => entries.count({ where: { customer_id: customerId } })
    )
    if (!found) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${customerId} was not found`)
    return [history, count]
  }

  /** Each transaction's WriteResources, made once: the steps of one create or update ask for them several times. */
  private readonly writeResourcesOf_ = new WeakMap<EntityManager, WriteResources>()

  /** What the workflow steps write with: the store's repositories and event bus, bound to `manager`. */
  writeResources(manager: EntityManager): WriteResources {
    const made = this.writeResourcesOf_.get(manager)
    if (made) return made
    const resources: WriteResources = {
      manager,
      customers: manager.withRepository(this.customerRepository_),
      groups: manager.withRepository(this.customerGroupRepository_),
      addresses: manager.withRepository(this.addressRepository_),
      entity: this.customerEntity(manager),
      eventBus: this.eventBusService_.withTransaction(manager),
      preparedStatements: this.options_.preparedStatements,
    }
    this.writeResourcesOf_.set(manager, resources)
    return resources
  }

  /** The customerRepository's entity: core's Customer, or the store's extension of it. */
  private customerEntity(manager: EntityManager): CustomerEntity {
    return { metadata: manager.withRepository(this.customerRepository_).metadata, driver: manager.connection.driver }
  }
}

/**
 * Core saves metadata as JSON, so a key set to `undefined` is removed, as `""` removes it; the
 * workflow's input is copied as JSON, which would drop the key instead: it is given as `""`.
 */
function undefinedKeysRemoved(update: UpdateCustomerInput): UpdateCustomerInput {
  const metadata = update.metadata
  if (!metadata || typeof metadata !== "object" || !Object.values(metadata).includes(undefined)) return update
  return { ...update, metadata: Object.fromEntries(Object.entries(metadata).map(([key, value]) => [key, value === undefined ? "" : value])) }
}

export default CustomerService
