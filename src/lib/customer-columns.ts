import type { Customer } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import type { EntityMetadata } from "typeorm"
import type { Driver } from "typeorm/driver/Driver"

/**
 * The store's `Customer` entity as TypeORM knows it (the customerRepository's
 * target: core's class, or a store's subclass with extra columns) and the
 * driver that converts values the way `save()` would.
 */
export type CustomerEntity = { metadata: EntityMetadata; driver: Driver }

/**
 * `fields` (entity property names → values) as the columns an UPDATE sets,
 * keyed by database column name, each value prepared as TypeORM's `save()`
 * prepares it (transformers, JSON columns). Every column of the entity is
 * writable, a store's extension columns included; an `undefined` value is no
 * change (core's `save()` skips it too). Anything else is refused before any
 * write, so no key is silently dropped: a relation update() does not handle,
 * a key that is no column, a different primary key.
 */
export function columnValues(entity: CustomerEntity, customerId: string, fields: Record<string, unknown>): Record<string, unknown> {
  const columns: Record<string, unknown> = {}
  const unknown: string[] = []
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue
    const column = entity.metadata.findColumnWithPropertyName(key)
    if (!column) {
      if (entity.metadata.findRelationWithPropertyPath(key)) {
        throw new MedusaError(MedusaError.Types.INVALID_DATA, `A customer update cannot set the relation ${key}`)
      }
      unknown.push(key)
      continue
    }
    if (column.isPrimary) {
      if (value === customerId) continue
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `A customer's ${key} cannot be changed`)
    }
    columns[column.databaseName] = entity.driver.preparePersistentValue(value, column)
  }
  if (unknown.length) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      `Unknown customer field${unknown.length > 1 ? "s" : ""}: ${unknown.join(", ")} (not a column of the Customer entity)`
    )
  }
  return columns
}

/** A row of `RETURNING *` as the entity's properties, hydrated as TypeORM's find would (no other column). */
export function hydrateRow(entity: CustomerEntity, row: Record<string, unknown>): Customer {
  const customer: Record<string, unknown> = {}
  for (const column of entity.metadata.columns) {
    if (column.databaseName in row) {
      customer[column.propertyName] = entity.driver.prepareHydratedValue(row[column.databaseName], column)
    }
  }
  return customer as unknown as Customer
}
