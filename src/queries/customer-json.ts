import { Customer } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata"
import { quoteIdent } from "../utils/strings"
import { shapeOf } from "./customer-rows"
import type { Statement } from "./customer-search"
import type { PageColumns } from "./list-statements"

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

/** A statement's rows with each customer's JSON text (see jsonColumns). */
export type JsonRow = { json: string; exact: boolean; extra?: unknown }

/**
 * What a statement selects for each customer's JSON text, and from where (the
 * customer aliased `c`): `json` (row_to_json of the plain columns), `exact`
 * (false when a timestamp is outside years 1–9999) and `extra` (the jsonb
 * column, left to JavaScript).
 */
function jsonColumns(plan: JsonPlan): PageColumns {
  const jsonb = plan.jsonb ? `, c.${quoteIdent(plan.jsonb.databaseName)} AS extra` : ""
  return { select: `row_to_json(r)::text AS json, ${plan.guard} AS exact${jsonb}`, from: `customer c CROSS JOIN LATERAL (SELECT ${plan.select}) r` }
}

/**
 * The columns for each customer's JSON text, for a plain list's page to select
 * in its own scan (list-statements.ts, listPage); undefined when PostgreSQL
 * cannot write this model's JSON (planFor).
 */
export function customerJsonColumns(manager: EntityManager): PageColumns | undefined {
  const plan = planFor(manager)
  return plan ? jsonColumns(plan) : undefined
}

/**
 * The JSON texts of `rows`, in their order: byte for byte what `JSON.stringify`
 * writes for the entities TypeORM would load (no relations, every public
 * column). Undefined when one cannot be written exactly (a timestamp outside
 * years 1–9999).
 */
export function customerJsonTexts(manager: EntityManager, rows: JsonRow[]): string[] | undefined {
  const plan = planFor(manager)
  if (!plan || rows.some((row) => !row.exact)) return undefined
  if (!plan.jsonb) return rows.map((row) => row.json)
  const key = JSON.stringify(plan.jsonb.propertyName)
  return rows.map((row) => `${row.json.slice(0, -1)},${key}:${JSON.stringify(row.extra ?? null)}}`)
}

/**
 * `page` (a statement whose rows have the ids of one page, in order) with each
 * customer's JSON text added in the same statement, rows still in the page's
 * order; undefined when PostgreSQL cannot write this model's JSON (planFor).
 * One round trip instead of two, and no second planning.
 * `position` numbers the rows as the page's ORDER BY and LIMIT emit them, so
 * the outer ORDER BY restores that order after the join (which may be planned
 * as a hash join). This relies on how PostgreSQL executes, not on a documented
 * promise: a subquery with a LIMIT is never merged into the query around it,
 * and a window without an order numbers its input as it arrives. The ranked
 * pages of the integration tests would show a different order.
 */
export function withCustomerJson(manager: EntityManager, page: Statement): Statement | undefined {
  const plan = planFor(manager)
  if (!plan) return undefined
  const columns = jsonColumns(plan)
  return {
    sql: `SELECT p.*, j.* FROM (SELECT page.*, row_number() OVER () AS position FROM (${page.sql}) page) p
          CROSS JOIN LATERAL (SELECT ${columns.select} FROM ${columns.from} WHERE c.id = p.id AND c.deleted_at IS NULL) j
          ORDER BY p.position`,
    params: page.params,
  }
}
