import type { EntityManager } from "typeorm"
import { NORM_FN, rankDocs, SEARCH_COLUMN_OF, unfilledSql } from "../lib/search-schema"
import type { CustomerListConfig, CustomerListFilters } from "../types/customers"
import { explicitOrder, filterClauses, SqlParams, type SearchTerms, type Statement } from "./customer-search"
import { isShortText } from "./search-breadth"

/**
 * A broad `q` (search-breadth.ts): `q=gmail` (a quarter of the customers), `q=a`, `q=an`.
 * Visiting each match through a trigram index and ranking them all costs more than
 * core's plain scan, so a broad search runs as:
 *
 * 1. one small statement: `q` normalised, whether some rows have no stored texts yet,
 *    and a sample of about SAMPLE_ROWS customers telling how common each rank class is;
 * 2. then, at once on two connections: the count, one scan with the normalised text
 *    as a parameter and no function of ours in it, so that PostgreSQL may split it
 *    between parallel workers; and the page, read class by class. A class ordered
 *    newest first and common enough is read by walking the `created_at` index until
 *    the page is full (a few hundred rows for `q=gmail`); a rare class, or one ordered
 *    by name similarity, is found whole (through the trigram indexes) and sorted.
 *
 * The order is the ranking of customer-search.ts (substringRank), class by class: exact
 * email or id; prefix matches, those in the name first (by similarity), then the
 * others; the remaining matches, those in the name first, then the others; newest first
 * within each. A text of one or two characters is like no name: its name matches are
 * newest first too. The sample only chooses how each class is read, never what it holds.
 */

/** A class is walked through the `created_at` index when that should read at most this many entries. */
const WALK_LIMIT = 50_000
/** About this many customers are sampled to judge how common each class is. */
const SAMPLE_ROWS = 10_000

type Docs = { email: string; name: string; last: string; phone: string }

/** The rank classes, in rank order. */
const CLASSES = ["exact", "prefix in name", "prefix elsewhere", "in name", "elsewhere"] as const

/** `text` (an SQL expression) escaped for LIKE. */
const escapedLike = (text: string) => `replace(replace(replace(${text}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`

/**
 * Every condition of a broad search over `docs`; `text` is the normalised `q` (an SQL
 * expression), `typed` the `q` as typed (a parameter). `found` is what a class is found
 * by when it is read whole: its conditions that an index can answer.
 */
type Conditions = { match: string; classOf: string; classes: string[]; found: string[]; nameKey: string; byCreated: boolean[] }

/** `q` in the name, email or phone digits, or `q` is the id. */
function matchSql(text: string, docs: Docs, id?: string, digits?: string): string {
  const like = escapedLike(text)
  const matches = [`${docs.name} LIKE '%' || ${like} || '%'`, `${docs.email} LIKE '%' || ${like} || '%'`]
  if (digits) matches.push(`${docs.phone} LIKE '%' || ${digits} || '%'`)
  if (id) matches.push(`c.id = ${id}`)
  return `(${matches.join(" OR ")})`
}

const idParam = (terms: SearchTerms, p: SqlParams) => (terms.id ? p.add(terms.id) : undefined)
const digitsParam = (terms: SearchTerms, p: SqlParams) => (terms.digits ? p.add(terms.digits) : undefined)

function conditions(terms: SearchTerms, text: string, docs: Docs, p: SqlParams): Conditions {
  const like = escapedLike(text)
  const typed = p.add(terms.text)
  const contains = (doc: string) => `${doc} LIKE '%' || ${like} || '%'`
  const startsWith = (doc: string) => `${doc} LIKE ${like} || '%'`
  const id = idParam(terms, p)
  const digits = digitsParam(terms, p)
  const exact = [`lower(c.email) = lower(${typed})`, ...(id ? [`c.id = ${id}`] : [])].join(" OR ")
  // the email's prefix as typed, through the lower(email) index; a last name's prefix also
  // starts a word of the name, which the name's trigram index can find
  const prefixes = [
    `lower(c.email) LIKE ${escapedLike(`lower(${typed})`)} || '%'`,
    startsWith(docs.name),
    `(${docs.name} LIKE '% ' || ${like} || '%' AND ${startsWith(docs.last)})`,
  ]
  const emailPrefix = prefixes[0]
  if (digits) prefixes.push(`${docs.phone} LIKE ${digits} || '%'`)
  // a prefix outside the name: of the email or the phone
  const prefixOutside = digits ? `(${emailPrefix} OR ${docs.phone} LIKE ${digits} || '%')` : emailPrefix
  const prefix = `(${prefixes.join(" OR ")})`
  const inName = contains(docs.name)
  const match = matchSql(text, docs, id, digits)
  const short = isShortText(terms)
  return {
    match,
    classOf: `CASE WHEN ${exact} THEN 0 WHEN ${prefix} THEN CASE WHEN ${inName} THEN 1 ELSE 2 END WHEN ${inName} THEN 3 ELSE 4 END`,
    classes: [
      `(${exact})`,
      `(${exact}) IS NOT TRUE AND ${prefix} AND ${inName}`,
      `(${exact}) IS NOT TRUE AND ${prefix} AND (${inName}) IS NOT TRUE`,
      `(${exact}) IS NOT TRUE AND ${prefix} IS NOT TRUE AND ${inName}`,
      `(${exact}) IS NOT TRUE AND ${prefix} IS NOT TRUE AND (${inName}) IS NOT TRUE`,
    ],
    found: [`(${exact})`, prefix, prefixOutside, inName, match],
    nameKey: `CASE WHEN ${inName} THEN ${short ? "0" : `similarity(${docs.name}, ${text})`} ELSE -1 END`,
    byCreated: [false, short, true, short, true],
  }
}

/** The stored texts; while some rows have none, the texts computed for those. */
function docsFor(unfilled: boolean): Docs {
  if (unfilled) return rankDocs("c")
  const column = (name: string) => `c.${name}`
  return { email: column(SEARCH_COLUMN_OF.email), name: column(SEARCH_COLUMN_OF.name), last: column(SEARCH_COLUMN_OF.last), phone: column(SEARCH_COLUMN_OF.phone) }
}

/** What a broad search learns first. */
type Survey = { text: string; unfilled: boolean; sampled: number; perClass: number[] }

function surveyStatement(filters: CustomerListFilters, terms: SearchTerms, samplePercent: number): Statement {
  const p = new SqlParams()
  const text = `${NORM_FN}(${p.add(terms.text)})`
  const where = filterClauses(filters, p)
  // the stored texts: a row without them is not sampled (it may only make a class look rarer)
  const cond = conditions(terms, "t.text", docsFor(false), p)
  const classOf = `CASE WHEN ${[...where, cond.match].join(" AND ")} THEN ${cond.classOf} END`
  return {
    sql: `SELECT t.text, EXISTS (SELECT 1 FROM customer c WHERE ${unfilledSql("c")}) AS unfilled,
                 (SELECT json_object_agg(coalesce(s.cls, -1), s.n) FROM (
                    SELECT ${classOf} AS cls, count(*) AS n FROM customer c TABLESAMPLE SYSTEM (${p.add(samplePercent)})
                     WHERE c.deleted_at IS NULL GROUP BY 1) s) AS sample
            FROM (SELECT ${text} AS text) t`,
    params: p.values,
  }
}

/**
 * The matches' number: one scan, which PostgreSQL may run with parallel workers.
 * `strpos`, not LIKE: no index answers it, so the planner does not read a broad
 * text's long posting lists before visiting nearly every page of the table anyway.
 */
function countStatement(filters: CustomerListFilters, terms: SearchTerms, survey: Survey): Statement {
  const p = new SqlParams()
  const where = filterClauses(filters, p)
  const docs = docsFor(survey.unfilled)
  const text = p.add(survey.text)
  const matches = [`strpos(${docs.name}, ${text}) > 0`, `strpos(${docs.email}, ${text}) > 0`]
  if (terms.digits) matches.push(`strpos(${docs.phone}, ${p.add(terms.digits)}) > 0`)
  if (terms.id) matches.push(`c.id = ${p.add(terms.id)}`)
  return { sql: `SELECT count(*) AS total FROM customer c WHERE ${[...where, `(${matches.join(" OR ")})`].join(" AND ")}`, params: p.values }
}

/**
 * The ranked page: the first `skip + take` matches of each class, in rank order, from
 * `skip` on. A class read by walking is a branch of its own; the others are read
 * together, found whole by what indexes can answer of them (one scan at most), then sorted.
 */
function rankedPage(filters: CustomerListFilters, terms: SearchTerms, survey: Survey, config: CustomerListConfig): Statement {
  const p = new SqlParams()
  const where = filterClauses(filters, p)
  const cond = conditions(terms, p.add(survey.text), docsFor(survey.unfilled), p)
  const rows = p.add(config.skip + config.take)
  const sampled = Math.max(survey.sampled, 1)
  const walked = CLASSES.map((_, k) => {
    const share = survey.perClass[k] / sampled
    return cond.byCreated[k] && share > 0 && (config.skip + config.take) / share <= WALK_LIMIT
  })
  const columns = (cls: string) => `c.id, c.created_at, ${cls} AS cls, (${cond.nameKey})::real AS nk`
  const branches = CLASSES.flatMap((_, k) =>
    walked[k]
      ? [`(SELECT ${columns(String(k))} FROM customer c WHERE ${[...where, cond.match, cond.classes[k]].join(" AND ")} ORDER BY c.created_at DESC, c.id DESC LIMIT ${rows})`]
      : []
  )
  const whole = CLASSES.map((_, k) => k).filter((k) => !walked[k])
  if (whole.length) {
    const found = [...new Set(whole.map((k) => cond.found[k]))].join(" OR ")
    // OFFSET 0: the candidates are found first, then classified and sorted
    branches.push(`(SELECT s.* FROM (SELECT ${columns(cond.classOf)} FROM customer c WHERE ${[...where, cond.match, `(${found})`].join(" AND ")} OFFSET 0) s
                     WHERE s.cls IN (${whole.join(", ")}) ORDER BY s.cls, s.nk DESC, s.created_at DESC, s.id DESC LIMIT ${rows})`)
  }
  return {
    sql: `SELECT u.id FROM (${branches.join(" UNION ALL ")}) u
          ORDER BY u.cls, u.nk DESC, u.created_at DESC, u.id DESC LIMIT ${p.add(config.take)} OFFSET ${p.add(config.skip)}`,
    params: p.values,
  }
}

/** A page in an explicit order: the planner walks that order's index or sorts, as the matches' number tells it. */
function orderedPage(filters: CustomerListFilters, terms: SearchTerms, survey: Survey, config: CustomerListConfig): Statement {
  const p = new SqlParams()
  const where = filterClauses(filters, p)
  const match = matchSql(p.add(survey.text), docsFor(survey.unfilled), idParam(terms, p), digitsParam(terms, p))
  return {
    sql: `SELECT c.id FROM customer c WHERE ${[...where, match].join(" AND ")}
          ORDER BY ${explicitOrder(config).join(", ")} LIMIT ${p.add(config.take)} OFFSET ${p.add(config.skip)}`,
    params: p.values,
  }
}

/** The sample's size in percent of the table, for about SAMPLE_ROWS rows of `tableRows`. */
function samplePercent(tableRows: number): number {
  return Math.min(100, (SAMPLE_ROWS * 100) / Math.max(tableRows, 1))
}

/** A broad search's page statement and count statement, to run at once. */
export async function broadSearchStatements(
  manager: EntityManager,
  filters: CustomerListFilters,
  terms: SearchTerms,
  config: CustomerListConfig,
  tableRows: number
): Promise<{ page: Statement; count: Statement }> {
  const survey = surveyStatement(filters, terms, samplePercent(tableRows))
  const [row] = (await manager.query(survey.sql, survey.params)) as { text: string; unfilled: boolean; sample: Record<string, number> | null }[]
  // the sampled live customers by class; -1: not a match
  const sample = row.sample ?? {}
  const surveyed: Survey = {
    text: row.text,
    unfilled: row.unfilled,
    sampled: Object.values(sample).reduce((sum, n) => sum + Number(n), 0),
    perClass: CLASSES.map((_, k) => Number(sample[String(k)] ?? 0)),
  }
  const page = config.order ? orderedPage(filters, terms, surveyed, config) : rankedPage(filters, terms, surveyed, config)
  return { page, count: countStatement(filters, terms, surveyed) }
}
