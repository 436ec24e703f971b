import type { QueryRunner } from "typeorm"
import { envCount } from "../utils/env"
import { quoteIdent } from "../utils/strings"

/**
 * The database objects behind customer search, shared by the migration (small
 * tables: built inline) and the start-up index builder (large tables:
 * `CREATE INDEX CONCURRENTLY`, writes never blocked).
 */

/** Lower-cased and accent-free text (`Zoë Müller` → `zoe muller`); IMMUTABLE so it can be indexed. */
export const NORM_FN = "customers_norm"
/** `first_name || ' ' || last_name`, normalised: first, last and full-name search. */
export const NAME_DOC_FN = "customers_name_doc"
/** The digits of a phone number (`+1 (555) 010-4477` → `15550104477`). */
export const DIGITS_FN = "customers_digits"

/** Signatures of the three. */
export const SEARCH_FUNCTIONS = [`${NORM_FN}(text)`, `${NAME_DOC_FN}(text, text)`, `${DIGITS_FN}(text)`]

/** The schema holding the `unaccent` extension (the functions name it explicitly). */
export const UNACCENT_SCHEMA_SQL = `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'unaccent'`

/** The normalising expressions, `unaccent` named by its schema. */
function normalisingSql(unaccentSchema: string): { norm: (value: string) => string; digits: (value: string) => string } {
  const schema = quoteIdent(unaccentSchema)
  const dictionary = `${schema}.unaccent`.replace(/'/g, "''")
  return {
    norm: (value) => `lower(${schema}.unaccent('${dictionary}'::regdictionary, ${value}))`,
    digits: (value) => `nullif(regexp_replace(${value}, '[^0-9]', '', 'g'), '')`,
  }
}

/**
 * PARALLEL UNSAFE: a query calling them never starts parallel workers. Trigram
 * estimates are coarse (thousands of rows for a surname matching 200), so the
 * planner would start workers whose start-up costs more than the search; a
 * query calling a PARALLEL UNSAFE function is never parallelised, without a
 * transaction and a `SET LOCAL` around each search.
 *
 * The normalising functions are PL/pgSQL, not SQL: `unaccent` is STABLE, so an
 * IMMUTABLE SQL wrapper around it is never inlined, and each call of a
 * non-inlined SQL function runs a small executor of its own. PL/pgSQL evaluates
 * the same expression on its fast path, about 2.5 times cheaper per call. They
 * compute the stored search texts (lib/search-columns) on every write of a
 * name, email or phone, and the texts of rows not stored yet when searched.
 * The name's function stays SQL: it is inlined into a call of the normaliser.
 */
export function functionsSql(unaccentSchema: string): string[] {
  const { norm, digits } = normalisingSql(unaccentSchema)
  return [
    `CREATE OR REPLACE FUNCTION ${NORM_FN}(value text) RETURNS text
       LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE
       AS $fn$ BEGIN RETURN ${norm("value")}; END $fn$`,
    `CREATE OR REPLACE FUNCTION ${NAME_DOC_FN}(first_name text, last_name text) RETURNS text
       LANGUAGE sql IMMUTABLE PARALLEL UNSAFE
       AS $fn$ SELECT ${NORM_FN}(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) $fn$`,
    `CREATE OR REPLACE FUNCTION ${DIGITS_FN}(value text) RETURNS text
       LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL UNSAFE
       AS $fn$ BEGIN RETURN ${digits("value")}; END $fn$`,
  ]
}

/** The four normalised texts a search reads of a customer. */
export type Docs = { email: string; name: string; last: string; phone: string }

/** The column each text is stored in (lib/search-columns). */
export const SEARCH_COLUMN_OF: Docs = { email: "search_email", name: "search_name", last: "search_last_name", phone: "search_phone" }

/** The stored texts of `alias`'s row (NULL in a row written with triggers disabled, until the start-up builder fills them). */
export const columnDocs = (alias: string): Docs => ({
  email: `${alias}.${SEARCH_COLUMN_OF.email}`,
  name: `${alias}.${SEARCH_COLUMN_OF.name}`,
  last: `${alias}.${SEARCH_COLUMN_OF.last}`,
  phone: `${alias}.${SEARCH_COLUMN_OF.phone}`,
})

/** The four texts computed by the indexed functions from `alias`'s columns. */
export const functionDocs = (alias: string): Docs => ({
  email: `${NORM_FN}(${alias}.email)`,
  name: `${NAME_DOC_FN}(${alias}.first_name, ${alias}.last_name)`,
  last: `${NORM_FN}(${alias}.last_name)`,
  phone: `${DIGITS_FN}(${alias}.phone)`,
})

/** A stored row's texts as stored, another's computed: what ranking reads (the function runs only for a row not stored yet). */
export const rankDocs = (alias: string): Docs => {
  const [stored, computed] = [columnDocs(alias), functionDocs(alias)]
  return {
    email: `coalesce(${stored.email}, ${computed.email})`,
    name: `coalesce(${stored.name}, ${computed.name})`,
    last: `coalesce(${stored.last}, ${computed.last})`,
    phone: `coalesce(${stored.phone}, ${computed.phone})`,
  }
}

/** `alias`'s texts are not stored (written with triggers disabled): `search_name` is never NULL once they are. */
export const unfilledSql = (alias: string) => `${alias}.${SEARCH_COLUMN_OF.name} IS NULL`

export type SearchIndex = { name: string; definition: string }

/**
 * GIN's fast update parks new entries in a pending list that every search scans
 * linearly until it is merged, by default at 4 MB: on a busy store searches
 * slow down between merges. A 128 kB list is merged often enough that searches
 * stay close to a clean index, while writes keep most of fast update's gain
 * (fast update off would make every write pay the index insertion).
 */
export const PENDING_LIST_KB = 128
const SMALL_PENDING_LIST = `WITH (gin_pending_list_limit = ${PENDING_LIST_KB})`

/**
 * Only an email with a space can contain a text with a space (a full name), and
 * hardly any has one: a partial trigram index over those lets a multi-word
 * search skip the email index, whose posting lists for a full name's dozen
 * trigrams it read for nothing.
 */
export const SPACED_EMAILS = "search_email LIKE '% %'"
export const SPACED_EMAILS_INDEX = "IDX_customers_search_email_spaced_trgm"

/** `CREATE INDEX <CONCURRENTLY> IF NOT EXISTS name ON customer …` for each entry. */
export const SEARCH_INDEXES: SearchIndex[] = [
  {
    name: "IDX_customers_search_name_trgm",
    definition: `USING gin (search_name gin_trgm_ops) ${SMALL_PENDING_LIST} WHERE deleted_at IS NULL`,
  },
  {
    name: "IDX_customers_search_email_trgm",
    definition: `USING gin (search_email gin_trgm_ops) ${SMALL_PENDING_LIST} WHERE deleted_at IS NULL`,
  },
  {
    name: "IDX_customers_search_phone_trgm",
    definition: `USING gin (search_phone gin_trgm_ops) ${SMALL_PENDING_LIST} WHERE deleted_at IS NULL AND search_phone IS NOT NULL`,
  },
  {
    // rows without stored texts (loaded with triggers disabled): found by searches and the start-up builder without a scan
    name: "IDX_customers_search_unfilled",
    definition: `USING btree (id) WHERE search_name IS NULL`,
  },
  {
    // the few emails with a space, for multi-word searches; optional, so built after those searches wait for
    name: SPACED_EMAILS_INDEX,
    definition: `USING gin (search_email gin_trgm_ops) ${SMALL_PENDING_LIST} WHERE deleted_at IS NULL AND ${SPACED_EMAILS}`,
  },
  {
    // equality (email filter, lookups by email) and prefixes (a broad search's ranking) in any collation
    name: "IDX_customers_email_lower",
    definition: `USING btree (lower(email) text_pattern_ops) WHERE deleted_at IS NULL`,
  },
  {
    name: "IDX_customers_created_id",
    definition: `USING btree (created_at DESC, id DESC) WHERE deleted_at IS NULL`,
  },
  {
    // the few soft-deleted customers, for exact group counts without visiting the live ones
    name: "IDX_customers_deleted_id",
    definition: `USING btree (id) WHERE deleted_at IS NOT NULL`,
  },
  {
    name: "IDX_customer_group_customers_group_customer",
    definition: `USING btree (customer_group_id, customer_id)`,
  },
]

export function createIndexSql(index: SearchIndex, concurrently: boolean): string {
  const table = index.name.startsWith("IDX_customer_group_customers") ? "customer_group_customers" : "customer"
  return `CREATE INDEX ${concurrently ? "CONCURRENTLY " : ""}IF NOT EXISTS "${index.name}" ON "${table}" ${index.definition}`
}

/** Tables above this many rows get their indexes from the concurrent builder, not the migration. */
export const INLINE_INDEX_MAX_ROWS = envCount("MEDUSA_CUSTOMERS_INLINE_INDEX_MAX_ROWS", 100_000)

/**
 * Whether a migration builds its indexes inline: the customer table holds at
 * most INLINE_INDEX_MAX_ROWS rows by PostgreSQL's estimate. A larger one gets
 * them from the concurrent builder at start-up (lib/search-indexes).
 */
export async function buildsIndexesInline(queryRunner: Pick<QueryRunner, "query">): Promise<boolean> {
  const [{ rows }] = await queryRunner.query(`SELECT greatest(reltuples, 0)::bigint AS rows FROM pg_class WHERE oid = 'customer'::regclass`)
  return Number(rows) <= INLINE_INDEX_MAX_ROWS
}
