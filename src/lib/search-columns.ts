import type { QueryRunner } from "typeorm"
import { DUPLICATE_MARK } from "./email-unique"
import { functionDocs, SEARCH_COLUMN_OF } from "./search-schema"

/**
 * The normalised search texts, stored in the customer row instead of computed
 * per match: a search reads them (and matches them through trigram indexes on
 * them) without calling a function per row.
 *
 * A trigger computes them with the normalising functions (lib/search-schema)
 * on every insert and on every update of the columns they come from, whoever
 * writes (this plugin, core, raw SQL). Rows written before the migration, or
 * with triggers disabled, are filled by `backfillSearchTexts`: inline in the
 * migration on a small table, by the start-up builder in batches otherwise;
 * until then searches compute their texts (queries/customer-search).
 */
export const SEARCH_TEXT_COLUMNS = Object.values(SEARCH_COLUMN_OF)

/**
 * Every column the plugin adds to core's `customer` table (the search texts
 * and the legacy-duplicate mark, lib/email-unique): internal, left out of what
 * the service returns and emits.
 */
export const SEARCH_COLUMNS = [...SEARCH_TEXT_COLUMNS, DUPLICATE_MARK]

/** `[column, expression]` for each stored text, computed from `row`'s columns (`NEW` in the trigger). */
function searchTextExpressions(row: string): [string, string][] {
  const docs = functionDocs(row)
  return (Object.keys(SEARCH_COLUMN_OF) as (keyof typeof docs)[]).map((text) => [SEARCH_COLUMN_OF[text], docs[text]])
}

const TRIGGER = "customers_search_texts"

export const searchColumnsSql: string[] = [
  // nullable, no default: only the catalogue changes, however many rows the table holds
  `ALTER TABLE customer ${SEARCH_TEXT_COLUMNS.map((c) => `ADD COLUMN IF NOT EXISTS ${c} text`).join(", ")}`,
  `CREATE OR REPLACE FUNCTION ${TRIGGER}() RETURNS trigger
     LANGUAGE plpgsql AS $fn$
     BEGIN
       ${searchTextExpressions("NEW")
         .map(([column, expression]) => `NEW.${column} := ${expression};`)
         .join("\n       ")}
       RETURN NEW;
     END $fn$`,
  `DROP TRIGGER IF EXISTS ${TRIGGER} ON customer`,
  `CREATE TRIGGER ${TRIGGER} BEFORE INSERT OR UPDATE OF first_name, last_name, email, phone ON customer
     FOR EACH ROW EXECUTE FUNCTION ${TRIGGER}()`,
]

export const dropSearchColumnsSql: string[] = [
  `DROP TRIGGER IF EXISTS ${TRIGGER} ON customer`,
  `DROP FUNCTION IF EXISTS ${TRIGGER}()`,
  `ALTER TABLE customer ${SEARCH_TEXT_COLUMNS.map((c) => `DROP COLUMN IF EXISTS ${c}`).join(", ")}`,
]

/** Rows per backfill statement: each batch is its own transaction, its rows locked for a moment only. */
export const BACKFILL_BATCH = 5_000

/**
 * Fills the texts of rows written before the trigger existed, in id order, one
 * batch per statement (outside any transaction, each commits on its own).
 * Returns how many rows it filled.
 */
export async function backfillSearchTexts(runner: Pick<QueryRunner, "query">, batch = BACKFILL_BATCH): Promise<number> {
  const set = searchTextExpressions("customer").map(([column, expression]) => `${column} = ${expression}`)
  let after = ""
  let filled = 0
  for (;;) {
    const [{ last }] = await runner.query(`SELECT max(id) AS last FROM (SELECT id FROM customer WHERE id > $1 ORDER BY id LIMIT $2) b`, [after, batch])
    if (last === null) return filled
    const [{ n }] = await runner.query(
      `WITH filled AS (UPDATE customer SET ${set.join(", ")} WHERE id > $1 AND id <= $2 AND search_name IS NULL RETURNING 1)
       SELECT count(*)::int AS n FROM filled`,
      [after, last]
    )
    filled += n
    after = last
  }
}
