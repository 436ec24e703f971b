import { Customer } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata"
import { quoteIdent } from "../utils/strings"
import { inOrderOf, shapeOf } from "./customer-rows"

/**
 * How each column type is written as JSON by PostgreSQL so the bytes equal
 * `JSON.stringify` of the entity TypeORM would hydrate: text and booleans as
 * themselves, timestamps as `Date.prototype.toISOString` writes them
 * (milliseconds truncated, as the driver's Date truncates them). `jsonb` is
 * left to JavaScript: PostgreSQL writes it with spaces and keeps `1.50` as is.
 */
const TIMESTAMP = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const AS_IS = new Set(["varchar", "character varying", "text", "boolean"])
// with time zone only: a plain `timestamp` is read by the driver in Node's zone, not UTC
const TIMESTAMPS = new Set(["timestamp with time zone", "timestamptz"])
/** PostgreSQL cuts identifiers (the JSON keys here) at 63 bytes. */
const MAX_KEY_BYTES = 63

type JsonPlan = { select: string; guard: string; jsonb?: ColumnMetadata }

/** The column's SQL type as a name; "other" for what the driver would convert differently. */
function typeOf(column: ColumnMetadata): string {
  if (column.transformer || column.isArray || Buffer.byteLength(column.propertyName) > MAX_KEY_BYTES) return "other"
  if (column.type === String) return "varchar"
  if (column.type === Boolean) return "boolean"
  return typeof column.type === "string" ? column.type : "other"
}

const plans = new WeakMap<object, JsonPlan | null>()

/**
 * The select list for a customer's JSON text, or null when its columns are not
 * all of the kinds above (a model extended with other columns): then the rows
 * are built in JavaScript instead. At most one `jsonb` column, and only last.
 */
function planFor(manager: EntityManager): JsonPlan | null {
  const metadata = manager.connection.getMetadata(Customer)
  if (plans.has(metadata)) return plans.get(metadata)!
  if (metadata.embeddeds.length) return null
  const { columns } = shapeOf(manager, Customer)
  const last = columns[columns.length - 1]
  const jsonb = last && typeOf(last) === "jsonb" ? last : undefined
  const plain = jsonb ? columns.slice(0, -1) : columns
  let plan: JsonPlan | null = null
  if (plain.every((c) => AS_IS.has(typeOf(c)) || TIMESTAMPS.has(typeOf(c)))) {
    const stamps = plain.filter((c) => TIMESTAMPS.has(typeOf(c))).map((c) => `c.${quoteIdent(c.databaseName)}`)
    plan = {
      select: plain
        .map((c) => {
          const column = `c.${quoteIdent(c.databaseName)}`
          return `${TIMESTAMPS.has(typeOf(c)) ? TIMESTAMP.replace("%s", column) : column} AS ${quoteIdent(c.propertyName)}`
        })
        .join(", "),
      // years JavaScript writes with four digits; anything else goes the JavaScript way
      guard: stamps.map((s) => `(${s} IS NULL OR ${s} BETWEEN '0001-01-01 00:00:00+00' AND '9999-12-31 23:59:59.999999+00')`).join(" AND ") || "true",
      jsonb,
    }
  }
  plans.set(metadata, plan)
  return plan
}

/**
 * Customers by id as JSON texts, in the order of `ids` (unknown or deleted ids
 * left out), byte for byte what `JSON.stringify` writes for the entities
 * TypeORM would load (no relations, every public column). PostgreSQL writes
 * each row, so the driver parses one text per row instead of eleven values, and
 * nothing is hydrated or serialised again. Undefined when this cannot be done
 * exactly (see planFor, or a timestamp outside years 1–9999).
 */
export async function loadCustomerJson(manager: EntityManager, ids: string[]): Promise<string[] | undefined> {
  const plan = planFor(manager)
  if (!plan) return undefined
  if (ids.length === 0) return []
  const jsonb = plan.jsonb ? `, c.${quoteIdent(plan.jsonb.databaseName)} AS extra` : ""
  const rows = (await manager.query(
    `SELECT c.id, row_to_json(r)::text AS json, ${plan.guard} AS exact${jsonb}
       FROM customer c CROSS JOIN LATERAL (SELECT ${plan.select}) r
      WHERE c.id = ANY($1) AND c.deleted_at IS NULL`,
    [ids]
  )) as { id: string; json: string; exact: boolean; extra?: unknown }[]
  if (rows.some((row) => !row.exact)) return undefined
  const key = plan.jsonb ? JSON.stringify(plan.jsonb.propertyName) : ""
  const byId = new Map(
    rows.map((row) => [row.id, plan.jsonb ? `${row.json.slice(0, -1)},${key}:${JSON.stringify(row.extra ?? null)}}` : row.json])
  )
  return inOrderOf(ids, byId)
}
