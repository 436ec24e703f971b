import { Address, Customer, CustomerGroup, Order } from "@medusajs/medusa"
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from "typeorm"
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata"
import type { CustomerField, CustomerQueryConfig, CustomerRelation } from "../types/customers"
import { quoteIdent } from "../utils/strings"
import { concurrently } from "./concurrently"

/** A customer as the admin API returns it: public columns, then the requested relations. */
export type CustomerRow = Record<string, unknown> & { id: string }

type Raw = Record<string, unknown>

/** Where a related row came from: its owner's id is selected under this alias. */
const OWNER = "__owner"

/** An entity's metadata and the columns TypeORM would hydrate for it. */
export type Shape = { metadata: EntityMetadata; columns: ColumnMetadata[] }

/**
 * The columns TypeORM would hydrate for an entity, in its order (the order the
 * entity's keys serialise in): selectable, not virtual. `password_hash` is not
 * selectable.
 */
export function shapeOf(manager: EntityManager, target: EntityTarget<ObjectLiteral>): Shape {
  const metadata = manager.connection.getMetadata(target)
  if (metadata.embeddeds.length) throw new Error(`${metadata.name} has embedded columns, which the row loader does not map`)
  return { metadata, columns: metadata.columns.filter((column) => column.isSelect && !column.isVirtual) }
}

export function selectList(columns: ColumnMetadata[], alias: string): string {
  return columns.map((column) => `${alias}.${quoteIdent(column.databaseName)}`).join(", ")
}

/**
 * One row as TypeORM hydrates it: an instance made the way its transformer
 * makes one (the constructor runs, so initialised fields such as Order's
 * `object` come first), then each column with the driver's conversion.
 */
export function hydrate(manager: EntityManager, { metadata, columns }: Shape, raw: Raw): Raw {
  const driver = manager.connection.driver
  const entity = metadata.create(undefined, { fromDeserializer: true }) as Raw
  for (const column of columns) entity[column.propertyName] = driver.prepareHydratedValue(raw[column.databaseName], column)
  return entity
}

function groupByOwner(manager: EntityManager, shape: Shape, raws: Raw[]): Map<string, Raw[]> {
  const byOwner = new Map<string, Raw[]>()
  for (const raw of raws) {
    const owner = raw[OWNER] as string
    const list = byOwner.get(owner) ?? []
    list.push(hydrate(manager, shape, raw))
    byOwner.set(owner, list)
  }
  return byOwner
}

type RelationLoader = (manager: EntityManager, customers: Raw[]) => Promise<(customer: Raw) => unknown>

async function query(manager: EntityManager, sql: string, ids: unknown[]): Promise<Raw[]> {
  return (await manager.query(sql, [ids])) as Raw[]
}

/** A many-valued relation: `sql` selects the related rows of the customers in `$1`, with their owner's id. */
function many(target: EntityTarget<ObjectLiteral>, sql: (columns: (alias: string) => string) => string): RelationLoader {
  return async (manager, customers) => {
    const shape = shapeOf(manager, target)
    const raws = await query(manager, sql((alias) => selectList(shape.columns, alias)), customers.map((c) => c.id))
    const byOwner = groupByOwner(manager, shape, raws)
    return (customer) => byOwner.get(customer.id as string) ?? []
  }
}

/**
 * Each relation in one statement for the whole page. Soft-deleted rows are left
 * out, as TypeORM's joins leave them out; many-valued relations come in id
 * order (core gives no order), a missing one-to-one is `null`.
 */
const RELATIONS: Record<CustomerRelation, RelationLoader> = {
  billing_address: async (manager, customers) => {
    const shape = shapeOf(manager, Address)
    const ids = [...new Set(customers.map((c) => c.billing_address_id).filter((id) => id !== null))]
    const raws = ids.length
      ? await query(manager, `SELECT ${selectList(shape.columns, "a")} FROM address a WHERE a.id = ANY($1) AND a.deleted_at IS NULL`, ids)
      : []
    const byId = new Map(raws.map((raw) => [raw.id as string, hydrate(manager, shape, raw)]))
    return (customer) => byId.get(customer.billing_address_id as string) ?? null
  },
  shipping_addresses: many(
    Address,
    (columns) => `SELECT a.customer_id AS ${OWNER}, ${columns("a")} FROM address a
      WHERE a.customer_id = ANY($1) AND a.deleted_at IS NULL ORDER BY a.id`
  ),
  groups: many(
    CustomerGroup,
    (columns) => `SELECT cgc.customer_id AS ${OWNER}, ${columns("g")} FROM customer_group_customers cgc
      JOIN customer_group g ON g.id = cgc.customer_group_id
      WHERE cgc.customer_id = ANY($1) AND g.deleted_at IS NULL ORDER BY g.id`
  ),
  // Order's @AfterLoad only moves a loaded `sales_channels` relation, which is never loaded here
  orders: many(
    Order,
    (columns) => `SELECT o.customer_id AS ${OWNER}, ${columns("o")} FROM "order" o WHERE o.customer_id = ANY($1) ORDER BY o.id`
  ),
}

/**
 * Customers by id, in the order of `ids` (unknown or deleted ids left out),
 * serialising exactly as TypeORM's entities do — the same columns in the same
 * order with the same value conversion, then the relations in the order asked —
 * without building a query builder and hydrating entities for every row. One
 * statement for the customers (none when the page's statement `selected` their
 * rows, every public column) and one per relation, whatever the page size.
 * Each statement reads its own snapshot (READ COMMITTED), as core's list does
 * with its separate page, count and relation queries: a customer changed
 * between two of them shows the new relation rows with the old columns.
 */
export async function loadCustomerRows(manager: EntityManager, ids: string[], config: CustomerQueryConfig, selected?: Raw[]): Promise<CustomerRow[]> {
  if (ids.length === 0) return []
  const shape = shapeOf(manager, Customer)
  const raws =
    selected ??
    (await query(manager, `SELECT ${selectList(shape.columns, "c")} FROM customer c WHERE c.id = ANY($1) AND c.deleted_at IS NULL`, ids))
  const resolvers = await concurrently(manager, ...config.relations.map((relation) => () => RELATIONS[relation](manager, raws)))
  const select = config.select
  const shown = select ? { ...shape, columns: shape.columns.filter((c) => select.includes(c.propertyName as CustomerField)) } : shape
  const byId = new Map<string, CustomerRow>()
  for (const raw of raws) {
    const customer = hydrate(manager, shown, raw)
    config.relations.forEach((relation, i) => (customer[relation] = resolvers[i](raw)))
    byId.set(raw.id as string, customer as CustomerRow)
  }
  return inOrderOf(ids, byId)
}

/** The values for `ids` in that order, ids without one left out. */
export function inOrderOf<T>(ids: string[], byId: Map<string, T>): T[] {
  return ids.map((id) => byId.get(id)).filter((value): value is T => value !== undefined)
}
