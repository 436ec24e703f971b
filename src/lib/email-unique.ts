/**
 * One account (and one guest) per email, case-insensitively, enforced by a
 * unique index. Rows that already broke the rule before the plugin arrived
 * are listed in `customer_email_duplicate` and left as they are; in each such
 * group the oldest customer stays in the index and the others are marked
 * (DUPLICATE_MARK) and left out of it by the index's predicate. So a new
 * write can never join a group: the index holds one of its members (and the
 * service refuses an email that any live customer of the same kind uses).
 */
export const EMAIL_UNIQUE_INDEX = "UQ_customers_email_lower_account"
export const DUPLICATE_TABLE = "customer_email_duplicate"
/**
 * Set (true) only on the recorded duplicates the index leaves out. Nullable
 * without a default: adding it changes the catalogue only, however many rows
 * the table holds, and checking it costs each write the same whatever the
 * number of duplicates.
 */
export const DUPLICATE_MARK = "email_legacy_duplicate"

export const duplicateTableSql = `CREATE TABLE IF NOT EXISTS ${DUPLICATE_TABLE} (
  customer_id text PRIMARY KEY,
  email text NOT NULL,
  has_account boolean NOT NULL,
  reported_at timestamptz NOT NULL DEFAULT now()
)`

/** Records every live customer whose lower-cased email and kind another live customer shares. */
export const recordDuplicatesSql = `INSERT INTO ${DUPLICATE_TABLE} (customer_id, email, has_account)
  SELECT c.id, c.email, c.has_account FROM customer c
    JOIN (SELECT lower(email) AS email, has_account FROM customer WHERE deleted_at IS NULL
          GROUP BY 1, 2 HAVING count(*) > 1) d
      ON lower(c.email) = d.email AND c.has_account = d.has_account
   WHERE c.deleted_at IS NULL
  ON CONFLICT (customer_id) DO NOTHING`

/** Marks every recorded duplicate but the oldest (created_at, then id) of its group. */
export const markDuplicatesSql = `UPDATE customer c SET ${DUPLICATE_MARK} = true
  FROM (SELECT d.customer_id,
               row_number() OVER (PARTITION BY lower(d.email), d.has_account ORDER BY k.created_at, k.id) AS nth
          FROM ${DUPLICATE_TABLE} d JOIN customer k ON k.id = d.customer_id) ranked
 WHERE c.id = ranked.customer_id AND ranked.nth > 1`

export const markColumnSql = `ALTER TABLE customer ADD COLUMN IF NOT EXISTS ${DUPLICATE_MARK} boolean`

export function emailUniqueIndexSql(concurrently: boolean): string {
  return `CREATE UNIQUE INDEX ${concurrently ? "CONCURRENTLY " : ""}IF NOT EXISTS "${EMAIL_UNIQUE_INDEX}"
    ON customer (lower(email), has_account) WHERE deleted_at IS NULL AND ${DUPLICATE_MARK} IS NULL`
}

/** PostgreSQL's unique_violation on our index: a duplicate that raced past the service's check. */
export function isEmailUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } }
  const code = e?.code ?? e?.driverError?.code
  const constraint = e?.constraint ?? e?.driverError?.constraint
  return code === "23505" && (constraint === EMAIL_UNIQUE_INDEX || constraint === "IDX_unique_email_for_guests_and_customer_accounts")
}
