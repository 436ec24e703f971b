import { Customer } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata"
import { quoteIdent } from "../utils/strings"

/**
 * How each column type is written as JSON by PostgreSQL so the bytes equal
 * `JSON.stringify` of the entity TypeORM would hydrate: text and booleans as
 * themselves, timestamps as `Date.prototype.toISOString` writes them
 * (milliseconds truncated, as the driver's Date truncates them). `jsonb` is
 * left to JavaScript: PostgreSQL writes it with spaces and keeps `1.50` as is.
 */
const TIMESTAMP = `to_char(%s AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const AS_IS = new Set(["varchar", "character varying", "text", "boolean"])
const TIMESTAMPS = new Set(["timestamp with time zone", "timestamptz", "timestamp"])

export type JsonPlan = { select: string; guard: string; jsonb?: ColumnMetadata }

function typeOf(column: ColumnMetadata): string {
  if (column.type === String) return "varchar"
  if (column.type === Boolean) return "boolean"
  if (column.type === Date) return "timestamp with time zone"
  return String(column.type)
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
  const columns = metadata.columns.filter((column) => column.isSelect && !column.isVirtual)
  const last = columns[columns.length - 1]
  const jsonb = last && typeOf(last) === "jsonb" ? last : undefined
  const plain = jsonb ? columns.slice(0, -1) : columns
  let plan: JsonPlan | null = null
  if (!metadata.embeddeds.length && plain.every((c) => AS_IS.has(typeOf(c)) || TIMESTAMPS.has(typeOf(c)))) {
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

/** What a query selects, for its customer `c`, to give each row its JSON text: `json`, `exact`, maybe `extra`. */
export type JsonColumns = { columns: string; lateral: string; plan: JsonPlan }

/** A row carrying the columns of JsonColumns. */
export type JsonRow = { id: string; json: string; exact: boolean; extra?: unknown }

/** The columns for `c`'s JSON text, or null when the rows must be built in JavaScript (see planFor). */
export function jsonColumns(manager: EntityManager): JsonColumns | null {
  const plan = planFor(manager)
  if (!plan) return null
  const extra = plan.jsonb ? `, c.${quoteIdent(plan.jsonb.databaseName)} AS extra` : ""
  return {
    columns: `row_to_json(r)::text AS json, ${plan.guard} AS exact${extra}`,
    lateral: `CROSS JOIN LATERAL (SELECT ${plan.select}) r`,
    plan,
  }
}

/** Each row's complete JSON text (the `jsonb` column spliced in last), or undefined when one is not exact. */
export function jsonTexts({ plan }: JsonColumns, rows: JsonRow[]): string[] | undefined {
  if (rows.some((row) => !row.exact)) return undefined
  if (!plan.jsonb) return rows.map((row) => row.json)
  const key = JSON.stringify(plan.jsonb.propertyName)
  return rows.map((row) => `${row.json.slice(0, -1)},${key}:${JSON.stringify(row.extra ?? null)}}`)
}
