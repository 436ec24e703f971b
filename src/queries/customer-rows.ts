import { Address, Customer, CustomerGroup, Order } from "@medusajs/medusa"
import type { EntityManager, EntityMetadata, EntityTarget, ObjectLiteral } from "typeorm"
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata"
import type { CustomerField, CustomerQueryConfig, CustomerRelation } from "../types/customers"
import { quoteIdent } from "../utils/strings"
import { queryPrepared } from "./prepared"

/** A customer as the admin API returns it: public columns, then the requested relations. */
export type CustomerRow = Record<string, unknown> & { id: string }

type Raw = Record<string, unknown>

/** Where a related row came from: its owner's id is selected under this alias. */
const OWNER = "__owner"

/** An entity's metadata and the columns TypeORM would hydrate for it. */
export type Shape = { metadata: EntityMetadata; columns: ColumnMetadata[] }

/**
 * The stored columns TypeORM would hydrate for an entity, in its order (the order the
 * entity's keys serialise in): selectable, not virtual, not a @VirtualColumn (computed by a
 * query of its own). `password_hash` is not selectable.
 */
export function hydratedColumns(metadata: EntityMetadata): ColumnMetadata[] {
  return metadata.columns.filter((column) => column.isSelect && !column.isVirtual && !column.isVirtualProperty)
}

export function shapeOf(manager: EntityManager, target: EntityTarget<ObjectLiteral>): Shape {
  const metadata = manager.connection.getMetadata(target)
  if (metadata.embeddeds.length) throw new Error(`${metadata.name} has embedded columns, which the row loader does not map`)
  return { metadata, columns: hydratedColumns(metadata) }
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

/**
 * How each relation joins the customer `c`, only on the rows of its own `kind`
 * (`on`): soft-deleted rows are left out, as TypeORM's joins leave them out.
 * `r` is the relation's alias.
 */
type Join = { target: EntityTarget<ObjectLiteral>; many: boolean; join: (r: string, on: string) => string }

const JOINS: Record<CustomerRelation, Join> = {
  billing_address: {
    target: Address,
    many: false,
    join: (r, on) => `LEFT JOIN address ${r} ON ${on} AND ${r}.id = c.billing_address_id AND ${r}.deleted_at IS NULL`,
  },
  shipping_addresses: {
    target: Address,
    many: true,
    join: (r, on) => `LEFT JOIN address ${r} ON ${on} AND ${r}.customer_id = c.id AND ${r}.deleted_at IS NULL`,
  },
  groups: {
    target: CustomerGroup,
    many: true,
    join: (r, on) =>
      `LEFT JOIN (customer_group_customers ${r}_m JOIN customer_group ${r} ON ${r}.id = ${r}_m.customer_group_id AND ${r}.deleted_at IS NULL)
        ON ${on} AND ${r}_m.customer_id = c.id`,
  },
  // Order's @AfterLoad only moves a loaded `sales_channels` relation, which is never loaded here
  orders: { target: Order, many: true, join: (r, on) => `LEFT JOIN "order" ${r} ON ${on} AND ${r}.customer_id = c.id` },
}

const RELATIONS = Object.keys(JOINS) as CustomerRelation[]

/** One part of the statement's rows: the customer (kind 0) or a relation (kind i + 1), its columns under the aliases `${prefix}${n}`. */
type Part = { shape: Shape; prefix: string }

/** The row of `part` in a statement row, keyed by column name as `hydrate` takes it. */
function partOf({ shape, prefix }: Part, raw: Raw): Raw {
  return Object.fromEntries(shape.columns.map((column, n) => [column.databaseName, raw[`${prefix}${n}`]]))
}

type RowsStatement = {
  customer: Part
  relations: { relation: CustomerRelation; kind: number; join: Join; part: Part }[]
  /** Undefined when there is nothing to read: rows selected already, no relations. */
  sql?: string
}

const statements = new WeakMap<EntityMetadata, Map<string, RowsStatement>>()

/**
 * The statement for `relations`, with or without the customers' own columns, for one customer
 * (`$1` an id: its prepared plan is as good as a fresh one, so it is planned once) or several
 * (`$1` an array of ids); made once per entity model and shape.
 */
function rowsStatement(manager: EntityManager, relationNames: CustomerRelation[], selected: boolean, one: boolean): RowsStatement {
  const metadata = manager.connection.getMetadata(Customer)
  const cache = statements.get(metadata) ?? new Map<string, RowsStatement>()
  statements.set(metadata, cache)
  // in the order of JOINS whatever the request's: one statement text per set of relations
  const names = RELATIONS.filter((relation) => relationNames.includes(relation))
  const key = `${selected}:${one}:${names.join(",")}`
  const cached = cache.get(key)
  if (cached) return cached

  const customer: Part = { shape: shapeOf(manager, Customer), prefix: "c_" }
  const relations = names.map((relation, i) => ({ relation, kind: i + 1, join: JOINS[relation], part: { shape: shapeOf(manager, JOINS[relation].target), prefix: `r${i + 1}_` } }))
  // the customer's columns on its own row only (a relation row would make the driver parse them again)
  const columns = (part: Part, alias: string, kind?: number) =>
    part.shape.columns.map((column, n) => {
      const value = `${alias}.${quoteIdent(column.databaseName)}`
      return `${kind === undefined ? value : `CASE WHEN k.kind = ${kind} THEN ${value} END`} AS ${part.prefix}${n}`
    })
  const kinds = [...(selected ? [] : [0]), ...relations.map((r) => r.kind)]
  const sql = kinds.length
    ? `SELECT k.kind, c.id AS ${OWNER}${[...(selected ? [] : columns(customer, "c", 0)), ...relations.flatMap((r) => columns(r.part, `r${r.kind}`))].map((c) => `, ${c}`).join("")}
    FROM customer c CROSS JOIN LATERAL (VALUES ${kinds.map((k) => `(${k})`).join(", ")}) k(kind)
    ${relations.map((r) => r.join.join(`r${r.kind}`, `k.kind = ${r.kind}`)).join("\n    ")}
    WHERE c.id = ${one ? "$1" : "ANY($1)"} AND c.deleted_at IS NULL
      AND (k.kind = 0${relations.map((r) => ` OR r${r.kind}.id IS NOT NULL`).join("")})
    ORDER BY k.kind${relations.map((r) => `, r${r.kind}.id`).join("")}`
    : undefined
  const statement = { customer, relations, sql }
  cache.set(key, statement)
  return statement
}

/**
 * Customers by id, in the order of `ids` (unknown or deleted ids left out),
 * serialising exactly as TypeORM's entities do — the same columns in the same
 * order with the same value conversion, then the relations in the order asked —
 * without building a query builder and hydrating entities for every row. One
 * statement for the customers and all their relations, whatever the page size:
 * each relation row is a row of its own kind (no cross product), the customer's
 * row too unless the page's statement `selected` it (every public column).
 * Many-valued relations come in id order (core gives none), a missing
 * one-to-one is `null`. `prepared`: sent as a prepared statement (options.preparedStatements).
 */
export async function loadCustomerRows(manager: EntityManager, ids: string[], config: CustomerQueryConfig, prepared: boolean, selected?: Raw[]): Promise<CustomerRow[]> {
  if (ids.length === 0 || (selected && selected.length === 0)) return []
  const owners = selected ? selected.map((row) => row.id as string) : ids
  const one = owners.length === 1
  const { customer, relations, sql } = rowsStatement(manager, config.relations, Boolean(selected), one)
  const raws: Raw[] = sql ? await queryPrepared(manager, { sql, params: [one ? owners[0] : owners] }, prepared) : []
  const rows = selected ?? raws.filter((raw) => raw.kind === 0).map((raw) => partOf(customer, raw))
  const byKind = new Map<number, Map<string, Raw[]>>(relations.map((r) => [r.kind, new Map()]))
  for (const raw of raws) {
    const relation = relations[(raw.kind as number) - 1]
    if (!relation) continue
    const owned = byKind.get(relation.kind)!
    const list = owned.get(raw[OWNER] as string) ?? []
    list.push(hydrate(manager, relation.part.shape, partOf(relation.part, raw)))
    owned.set(raw[OWNER] as string, list)
  }
  // the relations as the request names them (the order their keys serialise in)
  const asked = config.relations.map((name) => relations.find((r) => r.relation === name)!)
  const select = config.select
  const shown = select ? { ...customer.shape, columns: customer.shape.columns.filter((c) => select.includes(c.propertyName as CustomerField)) } : customer.shape
  const byId = new Map<string, CustomerRow>()
  for (const row of rows) {
    const entity = hydrate(manager, shown, row)
    for (const { relation, kind, join } of asked) {
      const owned = byKind.get(kind)!.get(row.id as string) ?? []
      entity[relation] = join.many ? owned : (owned[0] ?? null)
    }
    byId.set(row.id as string, entity as CustomerRow)
  }
  return inOrderOf(ids, byId)
}

/** The values for `ids` in that order, ids without one left out. */
export function inOrderOf<T>(ids: string[], byId: Map<string, T>): T[] {
  return ids.map((id) => byId.get(id)).filter((value): value is T => value !== undefined)
}
