import type { Customer } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import type { EntityManager, EntityMetadata, Repository } from "typeorm"
import type { CustomerGroup, EventBusService } from "@medusajs/medusa"
import type { Address } from "@medusajs/medusa"
import { isEmailUniqueViolation } from "./email-unique"
import { SEARCH_COLUMNS } from "./search-columns"
import type { CustomerEntity } from "./customer-columns"

/** What the workflow steps write with, bound to the caller's transaction (CustomerService.writeResources). */
export type WriteResources = {
  manager: EntityManager
  customers: Repository<Customer>
  groups: Repository<CustomerGroup>
  addresses: Repository<Address>
  entity: CustomerEntity
  eventBus: EventBusService
  /** Whether the plugin's statements go prepared (options.preparedStatements, queries/prepared.ts). */
  preparedStatements: boolean
}

/** A customer as the steps pass it on: the entity's properties as JSON, without internal columns. */
export type CustomerJson = Record<string, unknown> & { id: string }

/** The columns no result or event carries: the hash, and the stored search texts (not part of the model). */
const INTERNAL_COLUMNS = ["password_hash", ...SEARCH_COLUMNS]

export function stripInternalColumns<T extends object>(entity: T): T {
  for (const column of INTERNAL_COLUMNS) Reflect.deleteProperty(entity, column)
  return entity
}

/** A copy of `customer` without `password_hash` and the stored search texts, for event payloads. */
export function toEventPayload(customer: Customer): Record<string, unknown> {
  return stripInternalColumns({ ...(customer as Customer & Record<string, unknown>) })
}

/**
 * A write that lost a race to the unique email index (the service's own check
 * passed in both transactions): the same 422 as the check, no SQL text.
 */
export async function duplicateAware<T>(write: Promise<T>, hasAccount: boolean | undefined): Promise<T> {
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

const DATE_TYPES = new Set(["timestamp", "timestamptz", "timestamp with time zone", "timestamp without time zone", "date"])

/**
 * Fields of the entity (by property name), with the date columns' values that
 * are strings as Dates: workflows-sdk hands a workflow's input to its steps
 * through JSON, and an update writes (the service returns, events carry) Dates.
 */
export function reviveDates<T extends Record<string, unknown>>(entity: CustomerEntity, json: T): T {
  return reviveColumns(entity.metadata, json)
}

function reviveColumns<T extends Record<string, unknown>>(metadata: EntityMetadata, json: T): T {
  const fields: Record<string, unknown> = { ...json }
  for (const column of metadata.columns) {
    const value = fields[column.propertyName]
    if (typeof value === "string" && DATE_TYPES.has(String(column.type))) fields[column.propertyName] = new Date(value)
  }
  return fields as T
}

/** `fields` on an instance of the entity, made as TypeORM makes one it loads. */
function asEntity(metadata: EntityMetadata, fields: Record<string, unknown>): Record<string, unknown> {
  return Object.assign(metadata.create(undefined, { fromDeserializer: true }) as Record<string, unknown>, fields)
}

/**
 * The customer as core's save returns it: an instance of the store's Customer entity, its dates
 * Dates again, and so for a related row it carries (the billing address an update created).
 */
export function reviveCustomer(entity: CustomerEntity, json: CustomerJson): Customer {
  const customer: Record<string, unknown> = reviveDates(entity, json)
  for (const relation of entity.metadata.relations) {
    const related = customer[relation.propertyName]
    if (related && typeof related === "object" && !Array.isArray(related)) {
      customer[relation.propertyName] = asEntity(relation.inverseEntityMetadata, reviveColumns(relation.inverseEntityMetadata, related as Record<string, unknown>))
    }
  }
  return asEntity(entity.metadata, customer) as unknown as Customer
}
