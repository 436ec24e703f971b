import { AuthService, CustomerService as CoreCustomerService } from "@medusajs/medusa"
import * as models from "@medusajs/medusa/dist/models"
import { AddressRepository } from "@medusajs/medusa/dist/repositories/address"
import { CustomerRepository } from "@medusajs/medusa/dist/repositories/customer"
import { CustomerGroupRepository } from "@medusajs/medusa/dist/repositories/customer-group"
import { DataSource, EntityManager, getMetadataArgsStorage } from "typeorm"
import type { CustomersPluginOptions } from "../../src/options"
import PluginCustomerService from "../../src/services/customer"
import { testEnv } from "../setup/context"

/** One event as the services emit it: its name and the payload as passed. */
export type EmittedEvent = { name: string; data: Record<string, unknown> }

/**
 * The event bus both services get: records every emit (core's
 * `generateResetPasswordToken` emits without awaiting, so emit is synchronous
 * up to its returned promise). `withTransaction` returns the same recorder.
 */
export class RecordingEventBus {
  readonly events: EmittedEvent[] = []

  withTransaction(): this {
    return this
  }

  async emit(name: string, data: Record<string, unknown>): Promise<void> {
    this.events.push({ name, data })
  }
}

/** An entity class, as TypeORM takes it. */
export type EntityClass = abstract new (...args: never[]) => unknown

/** Every class of Medusa's models folder that TypeORM knows as an entity: what the store's `db_entities` holds. */
export function medusaEntities(): EntityClass[] {
  const tables = new Set(getMetadataArgsStorage().tables.map((table) => table.target))
  return (Object.values(models) as unknown[]).filter((value): value is EntityClass => typeof value === "function" && tables.has(value))
}

/**
 * A DataSource on the integration test database, with Medusa's entities, as `loaders/database.js` builds it;
 * `poolSize` 1 makes every statement outside a transaction use the same connection.
 */
export async function testDataSource(entities: EntityClass[] = medusaEntities(), poolSize?: number): Promise<DataSource> {
  const dataSource = new DataSource({ type: "postgres", url: testEnv().databaseUrl, entities, logging: false, ...(poolSize ? { extra: { max: poolSize } } : {}) })
  return await dataSource.initialize()
}

/** The service under comparison: core's or the plugin's, as the store would construct it. */
export type Side = "core" | "plugin"

export type Services = {
  core: CoreCustomerService
  plugin: CoreCustomerService
  bus: RecordingEventBus
  hashes: HashCheck
}

/** Core's AuthService, for its own password check (`comparePassword_` is protected: this subclass exposes it). */
export class HashCheck extends AuthService {
  async matches(password: string, hash: string): Promise<boolean> {
    return await this.comparePassword_(password, hash)
  }
}

/**
 * What both services are given, as the store's awilix container holds it:
 * the manager, core's repositories and the recording event bus. Core's
 * repositories are module-level `dataSource.getRepository(…).extend(…)`; under
 * jest (NODE_ENV=test) Medusa's database loader gives them a placeholder data
 * source, and the services bind them to the run's manager with `withRepository`,
 * as they do in a store.
 */
export function buildServices(dataSource: DataSource, repositories = { customerRepository: CustomerRepository }, pluginOptions?: CustomersPluginOptions): Services {
  const bus = new RecordingEventBus()
  const container = {
    manager: dataSource.manager,
    customerRepository: repositories.customerRepository,
    addressRepository: AddressRepository,
    customerGroupRepository: CustomerGroupRepository,
    eventBusService: bus,
  }
  const core = new CoreCustomerService(container as never)
  const plugin = new PluginCustomerService(container as never, pluginOptions) as unknown as CoreCustomerService
  const hashes = new HashCheck({ ...container, userService: {}, customerService: core, logger: console } as never)
  return { core, plugin, bus, hashes }
}

/**
 * Runs `work` in a transaction that is always rolled back, so every run starts
 * from the same committed data.
 */
export async function inRolledBackTransaction<T>(dataSource: DataSource, work: (manager: EntityManager) => Promise<T>): Promise<T> {
  const runner = dataSource.createQueryRunner()
  await runner.connect()
  await runner.startTransaction()
  try {
    return await work(runner.manager)
  } finally {
    await runner.rollbackTransaction()
    await runner.release()
  }
}

/**
 * `call` inside a savepoint: a call that throws leaves the data as it found it,
 * as the service's own transaction would (a database error aborts only the
 * savepoint, so the state can still be read).
 */
export async function inSavepoint<T>(manager: EntityManager, call: () => Promise<T>): Promise<{ result?: T; error?: unknown }> {
  await manager.query("SAVEPOINT differential_call")
  try {
    const result = await call()
    await manager.query("RELEASE SAVEPOINT differential_call")
    return { result }
  } catch (error) {
    await manager.query("ROLLBACK TO SAVEPOINT differential_call")
    return { error }
  }
}

/** Column names of an entity as stored (`billing_address_id`, not the relation). */
export function entityColumns(dataSource: DataSource, entity: EntityClass): string[] {
  return dataSource.getMetadata(entity).columns.map((column) => column.databaseName)
}

/** The rows the services read and write, in id order: the state a run leaves behind. */
export async function snapshot(manager: EntityManager, customerColumns: string[], addressColumns: string[]): Promise<Record<string, unknown[]>> {
  const select = (columns: string[]) => columns.map((c) => `"${c}"`).join(", ")
  return {
    customer: await manager.query(`SELECT ${select(customerColumns)} FROM customer ORDER BY id`),
    address: await manager.query(`SELECT ${select(addressColumns)} FROM address ORDER BY id`),
    customer_group: await manager.query("SELECT id, name, metadata, deleted_at FROM customer_group ORDER BY id"),
    customer_group_customers: await manager.query(
      "SELECT customer_group_id, customer_id FROM customer_group_customers ORDER BY customer_group_id, customer_id"
    ),
  }
}
