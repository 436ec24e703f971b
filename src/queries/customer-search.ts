import { MedusaError } from "medusa-core-utils"
import { CUSTOMER_ORDER_FIELDS, type CustomerListConfig, type CustomerListFilters, type DateRange } from "../types/customers"
import { columnDocs, type Docs, functionDocs, NORM_FN, rankDocs, SPACED_EMAILS, unfilledSql } from "../lib/search-schema"

/** Positional parameters for one SQL statement. */
export class SqlParams {
  readonly values: unknown[] = []
  add(value: unknown): string {
    this.values.push(value)
    return `$${this.values.length}`
  }
}

export type Statement = { sql: string; params: unknown[] }

/** What a `q` can match besides names and emails. */
export type SearchTerms = { text: string; digits?: string; id?: string }

const PHONE_LIKE = /^[\d\s()+.\-/]+$/

export function searchTerms(q: string | undefined): SearchTerms | undefined {
  const text = q?.trim().replace(/\s+/g, " ")
  if (!text) return undefined
  const digits = PHONE_LIKE.test(text) ? text.replace(/\D/g, "") : ""
  return {
    text,
    digits: digits.length >= 3 ? digits : undefined,
    id: /^cus_[0-9A-Za-z]+$/.test(text) ? text : undefined,
  }
}

const DATE_OPS: Record<keyof DateRange, string> = { lt: "<", lte: "<=", gt: ">", gte: ">=" }

/**
 * The customers with an email, case-insensitively: at most one account and
 * one guest (and recorded legacy duplicates), found through the index on
 * `lower(email)` before anything else. Written as a plain `lower(c.email) = …`
 * filter, the planner has no statistics for the expression (its index is
 * partial, and PostgreSQL keeps expression statistics for whole-table indexes
 * only) and guesses 0.5 % of the table: on a large table it walks the list's
 * ordering index instead, filtering every row until the page is full.
 */
function emailClause(email: string, p: SqlParams): string {
  return `c.id = ANY (ARRAY(SELECT e.id FROM customer e WHERE e.deleted_at IS NULL AND lower(e.email) = ${p.add(email.toLowerCase())}))`
}

/** The non-`q` filters; every clause index-friendly. */
export function filterClauses(filters: CustomerListFilters, p: SqlParams): string[] {
  const clauses = ["c.deleted_at IS NULL"]
  if (filters.has_account !== undefined) clauses.push(`c.has_account = ${p.add(filters.has_account)}`)
  if (filters.email !== undefined) clauses.push(emailClause(filters.email, p))
  if (filters.groups?.length) {
    clauses.push(
      `c.id IN (SELECT cgc.customer_id FROM customer_group_customers cgc WHERE cgc.customer_group_id = ANY(${p.add(filters.groups)}))`
    )
  }
  for (const column of ["created_at", "updated_at"] as const) {
    const range = filters[column]
    if (!range) continue
    for (const op of Object.keys(DATE_OPS) as (keyof DateRange)[]) {
      if (range[op]) clauses.push(`c.${column} ${DATE_OPS[op]} ${p.add(range[op])}`)
    }
  }
  return clauses
}

/**
 * `text` normalised as the stored texts are, then escaped for LIKE. Escaping
 * before normalising would miss what unaccent turns into `%`, `_` or `\`
 * (`％`, `＿`, `∖`): `q=a＿c` found "abc". The planner folds the whole
 * expression into a constant pattern, which the trigram indexes read.
 */
function likeLiteral(text: string, p: SqlParams): string {
  return escapedLike(`${NORM_FN}(${p.add(text)})`)
}

/** A normalised text (an SQL expression) escaped for LIKE. */
function escapedLike(normalised: string): string {
  return `replace(replace(replace(${normalised}, '\\', '\\\\'), '%', '\\%'), '_', '\\_')`
}

/** A run of this many digits or more is asked as three trigrams apart (trigramProbe, digitsProbe). */
const LONG_DIGITS = 9
const DIGIT_RUN = `^[0-9]{${LONG_DIGITS},}$`
const DIGIT_RUN_RE = new RegExp(DIGIT_RUN)
const isDigitRun = (text: string) => DIGIT_RUN_RE.test(text)

/** The LIKE pattern of an escaped text: anything containing it. */
const containing = (escaped: string) => `'%' || ${escaped} || '%'`
/** A word of one or two letters or digits, anywhere in a text. */
const SHORT_WORD = "(^|[^[:alnum:]])[[:alnum:]]{1,2}([^[:alnum:]]|$)"

/**
 * The pattern a trigram index is asked with for the normalised text `t`: a
 * pattern every text containing `t` matches, so it finds all the matches and a
 * few more, which `strpos` then drops (substringArm). Asked with `%t%`
 * itself, pg_trgm looks up every trigram of `t`, and some are costly:
 * - a word boundary inside `t` ("na ", "  y", " yo" in `caterina yost`) is in
 *   nearly every name, so its posting list is huge. With each run of other
 *   characters a wildcard (`%caterina%yost%`) only the words' own trigrams
 *   are looked up — when every word has three characters or more, so that
 *   each still brings its trigrams: `ann li` keeps its boundaries;
 * - a run of nine or more digits (a phone number in a phone or an email) has
 *   a trigram at every position, each in thousands of phones: the first,
 *   middle and last three digits (`%555%867%309%`; they never overlap from
 *   nine digits on) find a few more than the matches from three posting lists
 *   instead of eight; the last digits tell phones apart best, the first are
 *   often a country or area code.
 * Keeping fewer trigrams of a word is not done: `%ann%` for `anna` would read
 * several times more candidates than `%anna%`.
 * Every kept piece is letters or digits, so the pattern needs no escaping. The
 * planner folds the expression into a constant, as it does `likeLiteral`.
 */
export function trigramProbe(normalised: string): string {
  const t = normalised
  return `CASE WHEN ${t} ~ '${DIGIT_RUN}' THEN '%' || left(${t}, 3) || '%' || substr(${t}, (length(${t}) - 3) / 2 + 1, 3) || '%' || right(${t}, 3) || '%'
    WHEN ${t} ~ '[^[:alnum:]]' AND ${t} ~ '[[:alnum:]]{3}' AND ${t} !~ '${SHORT_WORD}' THEN '%' || regexp_replace(${t}, '[^[:alnum:]]+', '%', 'g') || '%'
    ELSE ${containing(escapedLike(t))} END`
}

/** The probe for the digits of a phone-like `q`, worked out here: they are digits already. */
export function digitsProbe(digits: string): string {
  if (!isDigitRun(digits)) return `%${digits}%`
  const middle = Math.floor((digits.length - 3) / 2)
  return `%${digits.slice(0, 3)}%${digits.slice(middle, middle + 3)}%${digits.slice(-3)}%`
}

/**
 * A `q` of one word, letters and digits only, short of a digit run: its probe
 * would be the text itself, so its arms are the plain pattern, with no
 * `strpos` to evaluate for each of its matches (`q=gmail` has 270,043).
 */
function asksItself(text: string): boolean {
  return /^[\p{L}\p{N}]+$/u.test(text) && !isDigitRun(text)
}

/** `doc` contains `text`: asked of the index with `probe`, then checked exactly (strpos is not indexable). */
function substringArm(doc: string, probe: string, text: string): string {
  return `${doc} LIKE ${probe} AND strpos(${doc}, ${text}) > 0`
}

/** A text's parameters, added once and read by every arm that asks for it. */
type TextParams = { text: string; plain?: string; digits?: { probe: string; exact?: string } }

function textParams(terms: SearchTerms, p: SqlParams): TextParams {
  const text = `${NORM_FN}(${p.add(terms.text)})`
  const params: TextParams = { text, plain: asksItself(terms.text) ? containing(escapedLike(text)) : undefined }
  if (terms.digits) params.digits = { probe: p.add(digitsProbe(terms.digits)), exact: isDigitRun(terms.digits) ? p.add(terms.digits) : undefined }
  return params
}

/** `docs` contain the text: its name, email or phone arms (`spaced`: the email arm asks the emails with a space only). */
function substringArms(t: TextParams, docs: Docs, spaced: boolean): string[] {
  const arm = (doc: string) => (t.plain ? `${doc} LIKE ${t.plain}` : substringArm(doc, trigramProbe(t.text), t.text))
  const email = arm(docs.email)
  const arms = [`(${arm(docs.name)})`, spaced ? `(c.${SPACED_EMAILS} AND ${email})` : `(${email})`]
  if (t.digits) {
    const { probe, exact } = t.digits
    const phone = exact ? substringArm(docs.phone, probe, exact) : `${docs.phone} LIKE ${probe}`
    // the phone index's predicate, repeated so the planner can use it
    arms.push(`(${docs.phone} IS NOT NULL AND ${phone})`)
  }
  return arms
}

/**
 * `q` in a row's stored texts, through their trigram indexes, or in the texts
 * computed from a row that has none stored (written with triggers disabled,
 * until the start-up builder fills them: few rows, found through their own
 * index); or `q` is its id. `%` and `_` are literal.
 */
function substringMatch(terms: SearchTerms, p: SqlParams): string {
  const t = textParams(terms, p)
  // a text with a space can only be in an email with one: those have an index of their own (SPACED_EMAILS)
  const stored = substringArms(t, columnDocs("c"), terms.text.includes(" "))
  const computed = substringArms(t, functionDocs("c"), false)
  const arms = [...stored, `(${unfilledSql("c")} AND (${computed.join(" OR ")}))`]
  if (terms.id) arms.push(`c.id = ${p.add(terms.id)}`)
  return `(${arms.join(" OR ")})`
}

/** What ranking reads of a row: column references, or the expressions themselves. */
type RankDocs = { emailLower: string; name: string; last: string; phone: string; id: string }

/**
 * Relevance: the exact email (as typed, in any case) or id, then prefixes (of
 * the email as typed, the name, the last name, the phone's digits), then the
 * trigram similarity of the name for matches in the name; a match only in the
 * email or phone ranks after them (newest first). Similarity is the costly key,
 * and a name the text is not in says nothing about the match (`q=gmail`, a
 * quarter of all customers and none in a name, would compute it for every match
 * for nothing). -1, not 0: a name match can share no trigram with the text and
 * still ranks first. The email's exact and prefix tests read `lower(email)`, which
 * its btree index answers for a broad search (broad-search.ts, which ranks the
 * same way, and texts of one or two characters).
 */
function substringRank(terms: SearchTerms, docs: RankDocs, p: SqlParams): string[] {
  const text = `${NORM_FN}(${p.add(terms.text)})`
  const literal = likeLiteral(terms.text, p)
  const prefix = `${literal} || '%'`
  const typed = p.add(terms.text)
  // the email as typed, case-insensitively: what the lower(email) index answers (broad-search.ts)
  const exact = [`${docs.emailLower} = lower(${typed})`]
  if (terms.id) exact.push(`${docs.id} = ${p.add(terms.id)}`)
  const prefixes = [`${docs.emailLower} LIKE ${escapedLike(`lower(${typed})`)} || '%'`, `${docs.name} LIKE ${prefix}`, `${docs.last} LIKE ${prefix}`]
  if (terms.digits) prefixes.push(`${docs.phone} LIKE ${p.add(`${terms.digits}%`)}`)
  return [
    `CASE WHEN ${exact.join(" OR ")} THEN 0 WHEN ${prefixes.join(" OR ")} THEN 1 ELSE 2 END`,
    `CASE WHEN ${docs.name} LIKE ${containing(literal)} THEN similarity(${docs.name}, ${text}) ELSE -1 END DESC`,
  ]
}

/** Newest first, ties broken by id: stable offset pages. */
export const DEFAULT_ORDER: NonNullable<CustomerListConfig["order"]> = { created_at: "DESC", id: "DESC" }

/** Column names go into the SQL text: only the orderable ones, whoever calls the service. */
function orderColumns(config: CustomerListConfig): [string, "ASC" | "DESC"][] {
  return Object.entries(config.order ?? DEFAULT_ORDER).map(([column, direction]) => {
    if (!(CUSTOMER_ORDER_FIELDS as readonly string[]).includes(column) || (direction !== "ASC" && direction !== "DESC")) {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, `Cannot order customers by ${column} ${direction}`)
    }
    return [column, direction]
  })
}

export function explicitOrder(config: CustomerListConfig, reverse = false, alias = "c"): string[] {
  return orderColumns(config).map(([column, direction]) => {
    const dir = reverse ? (direction === "ASC" ? "DESC" : "ASC") : direction
    return `${alias}.${column} ${dir}`
  })
}

/** `substring` first; `fuzzy` (one typo in a name) only when nothing matches as typed. */
export type SearchMode = "substring" | "fuzzy"

export function matchClause(terms: SearchTerms, mode: SearchMode, p: SqlParams): string {
  if (mode === "substring") return substringMatch(terms, p)
  const text = `${NORM_FN}(${p.add(terms.text)})`
  return `(${text} <% ${columnDocs("c").name} OR (${unfilledSql("c")} AND ${text} <% ${functionDocs("c").name}))`
}

function rankOrder(terms: SearchTerms, mode: SearchMode, docs: RankDocs, p: SqlParams): string[] {
  if (mode === "substring") return substringRank(terms, docs, p)
  return [`word_similarity(${NORM_FN}(${p.add(terms.text)}), ${docs.name}) DESC`]
}

/**
 * One page of matching ids with the total in the same scan
 * (`count(*) OVER ()`), ranked by relevance unless an explicit order is given.
 * The matches are found in a subquery that `OFFSET 0` keeps PostgreSQL from
 * folding into the outer one, which has two effects. Ranking reads each
 * normalised text several times; the subquery computes them once per match,
 * from the stored texts (rankDocs). And an explicit
 * order cannot tempt the planner into walking an ordering index and filtering a
 * million rows (trigram estimates are coarse); the matches are found through the trigram indexes, then sorted.
 */
export function searchPage(
  filters: CustomerListFilters,
  terms: SearchTerms,
  config: CustomerListConfig,
  mode: SearchMode
): Statement {
  const p = new SqlParams()
  const where = [...filterClauses(filters, p), matchClause(terms, mode, p)].join(" AND ")
  const columns = new Set(["c.id", "c.created_at"])
  let order: string[]
  if (config.order) {
    for (const [column] of orderColumns(config)) columns.add(`c.${column}`)
    order = explicitOrder(config, false, "s")
  } else {
    const read = rankDocs("c")
    columns.add("lower(c.email) AS email_lower").add(`${read.name} AS name_doc`).add(`${read.last} AS last_doc`)
    if (terms.digits) columns.add(`${read.phone} AS phone_doc`)
    const docs: RankDocs = { emailLower: "s.email_lower", name: "s.name_doc", last: "s.last_doc", phone: "s.phone_doc", id: "s.id" }
    order = [...rankOrder(terms, mode, docs, p), "s.created_at DESC", "s.id DESC"]
  }
  return {
    sql: `SELECT s.id, count(*) OVER () AS total
            FROM (SELECT ${[...columns].join(", ")} FROM customer c WHERE ${where} OFFSET 0) s
          ORDER BY ${order.join(", ")} LIMIT ${p.add(config.take)} OFFSET ${p.add(config.skip)}`,
    params: p.values,
  }
}
