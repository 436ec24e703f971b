import { Customer } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import type { CustomerListConfig, CustomerListFilters } from "../types/customers"
import { customerJsonColumns, customerJsonTexts, type JsonRow, withCustomerJson } from "./customer-json"
import { searchPage, SearchMode, SearchTerms, searchTerms, Statement } from "./customer-search"
import { concurrently } from "./concurrently"
import { broadSearchStatements } from "./broad-search"
import { searchBreadth } from "./search-breadth"
import { loadCustomerRows, selectList, shapeOf } from "./customer-rows"
import { listCount, listPage, type PageColumns } from "./list-statements"

/** How lists and searches behave (the plugin's options). */
export type ListBehaviour = { fuzzySearch: boolean; deepOffset: number; preparedStatements: boolean }

const DEFAULT_BEHAVIOUR: ListBehaviour = { fuzzySearch: true, deepOffset: 10_000, preparedStatements: true }

/** Fuzzy (typo-tolerant) search needs this many characters to mean anything. */
const FUZZY_MIN_LENGTH = 4

/**
 * One page: its ids in order, the exact number of matches and, when asked for
 * and the page's statement could select them, the customers' JSON texts
 * (customer-json.ts, when PostgreSQL can write them exactly) or their rows.
 */
export type IdPage = { ids: string[]; count: number; json?: string[]; rows?: Record<string, unknown>[] }

/** What a page's statement selects of each customer besides its id, if it can. */
export type PageContent = "ids" | "json" | "rows"

/** A page statement's row: the id, the search's total, and the JSON columns when asked for. */
type PageRow = { id: string; total?: string } & Partial<JsonRow>

/** `statement` with the customers' JSON texts in the same round trip, when `json` and possible. */
function pageStatement(manager: EntityManager, statement: Statement, json: boolean): Statement {
  return (json && withCustomerJson(manager, statement)) || statement
}

function pageColumns(manager: EntityManager, content: PageContent): PageColumns | undefined {
  if (content === "json") return customerJsonColumns(manager)
  if (content === "rows") return { select: selectList(shapeOf(manager, Customer).columns, "c"), from: "customer c" }
  return undefined
}

/**
 * A plain list's page statement and what it selects. The customers' JSON texts
 * or rows are selected in the page's own scan when it skips no more rows than
 * it returns (at most half of what it computes is thrown away): cheaper than
 * joining them to the ids afterwards, and simpler to plan. A deeper
 * page selects ids alone (from the index where no filter needs the table), its
 * JSON joined to them (withCustomerJson) or its rows left to loadCustomerRows.
 */
function plainPage(
  manager: EntityManager,
  filters: CustomerListFilters,
  config: CustomerListConfig,
  content: PageContent,
  reverse = false,
  skip = config.skip,
  take = config.take
): { statement: Statement; selects: PageContent } {
  const columns = skip <= take ? pageColumns(manager, content) : undefined
  if (columns) return { statement: listPage(filters, config, reverse, skip, take, columns), selects: content }
  const json = content === "json"
  return { statement: pageStatement(manager, listPage(filters, config, reverse, skip, take), json), selects: json ? "json" : "ids" }
}

function toPage(manager: EntityManager, rows: PageRow[], count: number, selects: PageContent): IdPage {
  const page: IdPage = { ids: rows.map((row) => row.id), count }
  if (selects === "json" && rows.every((row) => row.json !== undefined)) page.json = customerJsonTexts(manager, rows as JsonRow[])
  if (selects === "rows") page.rows = rows
  return page
}

async function rows<T>(manager: EntityManager, statement: Statement): Promise<T[]> {
  return (await manager.query(statement.sql, statement.params)) as T[]
}

async function count(manager: EntityManager, statement: Statement): Promise<number> {
  const [row] = await rows<{ total: string }>(manager, statement)
  return Number(row?.total ?? 0)
}

/** One search page, with the total in the same scan. */
async function searchRows(
  manager: EntityManager,
  filters: CustomerListFilters,
  terms: SearchTerms,
  config: CustomerListConfig,
  mode: SearchMode,
  { json = false }: { json?: boolean } = {}
): Promise<PageRow[]> {
  return await rows<PageRow>(manager, pageStatement(manager, searchPage(filters, terms, config, mode), json))
}

/**
 * A narrow search (a few matches, found through the trigram indexes) runs as one
 * statement, its total counted in the same scan, without parallel workers (the
 * search functions are PARALLEL UNSAFE, see lib/search-schema): trigram estimates
 * are coarse, and worker start-up would cost more than the search itself. A broad
 * one (search-breadth.ts) counts in one scan and reads its page class by class
 * (broad-search.ts).
 */
async function search(manager: EntityManager, filters: CustomerListFilters, config: CustomerListConfig, fuzzy: boolean, json: boolean): Promise<IdPage> {
  const terms = searchTerms(filters.q)!
  const typos: SearchMode[] = fuzzy && terms.text.length >= FUZZY_MIN_LENGTH ? ["fuzzy"] : []
  const { broad, tableRows } = await searchBreadth(manager, terms)
  if (broad) {
    const statements = await broadSearchStatements(manager, filters, terms, config, tableRows)
    const [page, total] = await concurrently(
      manager,
      () => rows<PageRow>(manager, pageStatement(manager, statements.page, json)),
      () => count(manager, statements.count)
    )
    if (total > 0 || !typos.length) return toPage(manager, page, total, json ? "json" : "ids")
  }
  // a broad search that found nothing as typed goes on with typos only
  const modes: SearchMode[] = broad ? typos : ["substring", ...typos]
  for (const mode of modes) {
    const page = await searchRows(manager, filters, terms, config, mode, { json })
    if (page.length) return toPage(manager, page, Number(page[0].total), json ? "json" : "ids")
    // an empty page past the end still needs the true total
    const total = config.skip > 0 ? await count(manager, listCount(filters, terms, mode)) : 0
    if (total > 0) return { ids: [], count: total }
  }
  return { ids: [], count: 0 }
}

/**
 * A deep offset read from the far end: `offset=900000` of 1,000,000 walks
 * 99,950 index entries backwards instead of 900,000 forwards.
 */
async function pageFromEnd(manager: EntityManager, filters: CustomerListFilters, config: CustomerListConfig, content: PageContent): Promise<IdPage> {
  const total = await count(manager, listCount(filters))
  if (config.skip >= total) return { ids: [], count: total }
  const take = Math.min(config.take, total - config.skip)
  const forwards = config.skip <= total / 2
  const { statement, selects } = forwards
    ? plainPage(manager, filters, config, content)
    : plainPage(manager, filters, config, content, true, total - config.skip - take, take)
  const page = await rows<PageRow>(manager, statement)
  return toPage(manager, forwards ? page : page.reverse(), total, selects)
}

/**
 * The ids of one admin list page, in order, and the exact number of matches;
 * with `content`, the customers' JSON texts or rows from the same statements
 * where they can select them (a search's rows are left to loadCustomerRows).
 */
export async function findCustomerIds(
  manager: EntityManager,
  filters: CustomerListFilters,
  config: CustomerListConfig,
  behaviour: ListBehaviour = DEFAULT_BEHAVIOUR,
  content: PageContent = "ids"
): Promise<IdPage> {
  if (searchTerms(filters.q)) return await search(manager, filters, config, behaviour.fuzzySearch, content === "json")
  if (config.skip >= behaviour.deepOffset) return await pageFromEnd(manager, filters, config, content)
  const { statement, selects } = plainPage(manager, filters, config, content)
  const [page, total] = await concurrently(
    manager,
    () => rows<PageRow>(manager, statement),
    () => count(manager, listCount(filters))
  )
  return toPage(manager, page, total, selects)
}

/**
 * The body of `GET /admin/customers` as JSON text, the bytes `res.json` writes
 * for the page's customers as loadCustomerRows builds them. A page without
 * `expand` or `fields` (the default list, every search) is written by
 * PostgreSQL in the page's own statement (customer-json.ts); another is built
 * from rows, the first page's selected in its own scan.
 */
export async function listBodyJson(manager: EntityManager, filters: CustomerListFilters, config: CustomerListConfig, behaviour: ListBehaviour = DEFAULT_BEHAVIOUR): Promise<string> {
  const plain = config.relations.length === 0 && !config.select
  const page = await findCustomerIds(manager, filters, config, behaviour, plain ? "json" : "rows")
  const customers = page.json ? `[${page.json.join(",")}]` : JSON.stringify(await loadCustomerRows(manager, page.ids, config, behaviour.preparedStatements, page.rows))
  return `{"customers":${customers},"count":${page.count},"offset":${config.skip},"limit":${config.take}}`
}
