/**
 * One account (and one guest) per email, case-insensitively, enforced by a
 * unique index. Rows that already broke the rule before the plugin arrived
 * are listed in `customer_email_duplicate`, left untouched, and excluded from
 * the index by id; new writes can never join them (the service refuses an
 * email that any live customer of the same kind already uses).
 */
export const EMAIL_UNIQUE_INDEX = "UQ_customers_email_lower_account"
export const DUPLICATE_TABLE = "customer_email_duplicate"

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

function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`
}

/** The index definition, excluding the recorded duplicates (an immutable id list). */
export function emailUniqueIndexSql(duplicateIds: string[], concurrently: boolean): string {
  const exclusion = duplicateIds.length ? ` AND id <> ALL (ARRAY[${duplicateIds.map(literal).join(", ")}]::text[])` : ""
  return `CREATE UNIQUE INDEX ${concurrently ? "CONCURRENTLY " : ""}IF NOT EXISTS "${EMAIL_UNIQUE_INDEX}"
    ON customer (lower(email), has_account) WHERE deleted_at IS NULL${exclusion}`
}

/** PostgreSQL's unique_violation on our index: a duplicate that raced past the service's check. */
export function isEmailUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } }
  const code = e?.code ?? e?.driverError?.code
  const constraint = e?.constraint ?? e?.driverError?.constraint
  return code === "23505" && (constraint === EMAIL_UNIQUE_INDEX || constraint === "IDX_unique_email_for_guests_and_customer_accounts")
}
