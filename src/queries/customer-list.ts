import type { EntityManager } from "typeorm"
import type { CustomerListConfig, CustomerListFilters } from "../types/customers"
import type { JsonColumns, JsonRow } from "./customer-json"
import { listCount, listPage, searchPage, SearchMode, searchTerms, Statement } from "./customer-search"

/** How lists and searches behave (the plugin's options). */
export type ListBehaviour = { fuzzySearch: boolean; deepOffset: number }

/** Fuzzy (typo-tolerant) search needs this many characters to mean anything. */
const FUZZY_MIN_LENGTH = 4

/** A page's ids in order, the exact number of matches, and with JsonColumns each row's JSON columns. */
export type IdPage = { ids: string[]; count: number; rows?: JsonRow[] }

type PageRow = { id: string; total?: string } & Partial<JsonRow>

/**
 * The page statement, joined to each row's JSON columns when asked: the page
 * and its customers in one round trip, in the page's order.
 */
function page(statement: Statement, json: JsonColumns | undefined): Statement {
  if (!json) return statement
  return {
    sql: `SELECT p.*, ${json.columns}
            FROM (${statement.sql}) p JOIN customer c ON c.id = p.id ${json.lateral}
           ORDER BY ${statement.order}`,
    params: statement.params,
  }
}

function idPage(found: PageRow[], count: number, json: JsonColumns | undefined): IdPage {
  return { ids: found.map((r) => r.id), count, ...(json ? { rows: found as JsonRow[] } : {}) }
}

async function rows<T>(manager: EntityManager, statement: Statement): Promise<T[]> {
  return (await manager.query(statement.sql, statement.params)) as T[]
}

async function count(manager: EntityManager, statement: Statement): Promise<number> {
  const [row] = await rows<{ total: string }>(manager, statement)
  return Number(row?.total ?? 0)
}

/**
 * Searches run without parallel workers (the search functions are PARALLEL
 * UNSAFE, see migration CustomerSearchSerial1764400000003): trigram estimates
 * are coarse, and worker start-up would cost more than the search itself.
 */
async function search(
  manager: EntityManager,
  filters: CustomerListFilters,
  config: CustomerListConfig,
  fuzzy: boolean,
  json: JsonColumns | undefined
): Promise<IdPage> {
  const terms = searchTerms(filters.q)!
  const modes: SearchMode[] = fuzzy && terms.text.length >= FUZZY_MIN_LENGTH ? ["substring", "fuzzy"] : ["substring"]
  for (const mode of modes) {
    const found = await rows<PageRow>(manager, page(searchPage(filters, terms, config, mode), json))
    if (found.length) return idPage(found, Number(found[0].total), json)
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
async function pageFromEnd(
  manager: EntityManager,
  filters: CustomerListFilters,
  config: CustomerListConfig,
  json: JsonColumns | undefined
): Promise<IdPage> {
  const total = await count(manager, listCount(filters))
  if (config.skip >= total) return { ids: [], count: total }
  const take = Math.min(config.take, total - config.skip)
  if (config.skip <= total / 2) return idPage(await rows<PageRow>(manager, page(listPage(filters, config), json)), total, json)
  const found = await rows<PageRow>(manager, page(listPage(filters, config, true, total - config.skip - take, take), json))
  return idPage(found.reverse(), total, json)
}

/**
 * The ids of one admin list page, in order, and the exact number of matches;
 * with `json`, each row's JSON columns too, from the same statement.
 */
export async function findCustomerIds(
  manager: EntityManager,
  filters: CustomerListFilters,
  config: CustomerListConfig,
  behaviour: ListBehaviour = { fuzzySearch: true, deepOffset: 10_000 },
  json?: JsonColumns
): Promise<IdPage> {
  if (searchTerms(filters.q)) return await search(manager, filters, config, behaviour.fuzzySearch, json)
  if (config.skip >= behaviour.deepOffset) return await pageFromEnd(manager, filters, config, json)
  const [found, total] = await Promise.all([
    rows<PageRow>(manager, page(listPage(filters, config), json)),
    count(manager, listCount(filters)),
  ])
  return idPage(found, total, json)
}
