import type { Logger } from "@medusajs/medusa"
import type { DataSource } from "typeorm"

/**
 * Exact counts of live customers without scanning: one row per (slot,
 * has_account) in COUNTER_TABLE, kept by statement triggers in the writing
 * transaction. Slots spread concurrent writers (a backend writes its own).
 *
 * The triggers run once per statement and read the statement's rows from its
 * transition tables: a bulk `INSERT … SELECT` of N customers adds one
 * aggregate per kind, where a row trigger upserted a counter N times. An
 * UPDATE adds, per kind, the live rows after the statement less the live rows
 * before it (the same rows, as transition tables hold them): exact without
 * joining old to new, and a statement that changes neither `deleted_at` nor
 * `has_account` (most updates) nets zero and writes nothing. PostgreSQL
 * allows no column list (`UPDATE OF …`) on a trigger with transition tables,
 * so the UPDATE trigger runs for every UPDATE of a customer.
 *
 * Writes made with triggers disabled (`session_replication_role = replica`,
 * `pg_restore --disable-triggers`, logical replication) leave the counters
 * wrong: every instance checks them at start-up (repairCustomerCounts).
 */
export const COUNTER_TABLE = "customer_count"

const FUNCTION = "customers_count_statement"
const TRIGGERS = { insert: "customers_count_insert", update: "customers_count_update", delete: "customers_count_delete" }
const TRUNCATE_FUNCTION = "customers_count_truncate"
const TRUNCATE_TRIGGER = "customers_count_truncate"

/** Adds each kind's delta from `deltas` (rows of has_account, delta) to this backend's slot, kinds in order (no deadlock between two of them). */
const addDeltas = (deltas: string) => `INSERT INTO ${COUNTER_TABLE} (slot, has_account, n)
         SELECT (pg_backend_pid() % 16)::smallint, has_account, delta FROM (${deltas}) d WHERE delta <> 0 ORDER BY has_account
         ON CONFLICT (slot, has_account) DO UPDATE SET n = ${COUNTER_TABLE}.n + EXCLUDED.n`

const liveByKind = (rows: string, sign: "" | "-") =>
  `SELECT has_account, ${sign}count(*) AS delta FROM ${rows} WHERE deleted_at IS NULL GROUP BY has_account`

/** Every live customer, counted by kind: what the counters must add up to. */
const COUNTED = `SELECT has_account, count(*)::bigint AS n FROM customer WHERE deleted_at IS NULL GROUP BY has_account`

/** Replaces the counters with a count of the table (in the caller's transaction). */
export const recountSql = [`DELETE FROM ${COUNTER_TABLE}`, `INSERT INTO ${COUNTER_TABLE} (slot, has_account, n) SELECT 0, has_account, n FROM (${COUNTED}) c`]

export const counterSql: string[] = [
  `CREATE TABLE IF NOT EXISTS ${COUNTER_TABLE} (
     slot smallint NOT NULL,
     has_account boolean NOT NULL,
     n bigint NOT NULL DEFAULT 0,
     PRIMARY KEY (slot, has_account)
   )`,
  `CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger
     LANGUAGE plpgsql AS $fn$
     BEGIN
       IF TG_OP = 'INSERT' THEN
         ${addDeltas(liveByKind("new_rows", ""))};
       ELSIF TG_OP = 'DELETE' THEN
         ${addDeltas(liveByKind("old_rows", "-"))};
       ELSE
         ${addDeltas(
           `SELECT has_account, sum(delta) AS delta FROM (${liveByKind("new_rows", "")} UNION ALL ${liveByKind("old_rows", "-")}) u GROUP BY has_account`
         )};
       END IF;
       RETURN NULL;
     END $fn$`,
  `CREATE OR REPLACE FUNCTION ${TRUNCATE_FUNCTION}() RETURNS trigger
     LANGUAGE plpgsql AS $fn$ BEGIN DELETE FROM ${COUNTER_TABLE}; RETURN NULL; END $fn$`,
  `CREATE TRIGGER ${TRIGGERS.insert} AFTER INSERT ON customer REFERENCING NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION ${FUNCTION}()`,
  `CREATE TRIGGER ${TRIGGERS.update} AFTER UPDATE ON customer REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
     FOR EACH STATEMENT EXECUTE FUNCTION ${FUNCTION}()`,
  `CREATE TRIGGER ${TRIGGERS.delete} AFTER DELETE ON customer REFERENCING OLD TABLE AS old_rows
     FOR EACH STATEMENT EXECUTE FUNCTION ${FUNCTION}()`,
  `CREATE TRIGGER ${TRUNCATE_TRIGGER} AFTER TRUNCATE ON customer
     FOR EACH STATEMENT EXECUTE FUNCTION ${TRUNCATE_FUNCTION}()`,
  ...recountSql,
]

export const dropCounterSql: string[] = [
  ...Object.values(TRIGGERS).map((trigger) => `DROP TRIGGER IF EXISTS ${trigger} ON customer`),
  `DROP TRIGGER IF EXISTS ${TRUNCATE_TRIGGER} ON customer`,
  `DROP FUNCTION IF EXISTS ${FUNCTION}()`,
  `DROP FUNCTION IF EXISTS ${TRUNCATE_FUNCTION}()`,
  `DROP TABLE IF EXISTS ${COUNTER_TABLE}`,
]

/** The kinds whose counters differ from a count of the table, in one snapshot (a writer's rows and counters commit together). */
const WRONG_KINDS_SQL = `SELECT count(*)::int AS wrong
   FROM (${COUNTED}) counted
   FULL JOIN (SELECT has_account, sum(n)::bigint AS n FROM ${COUNTER_TABLE} GROUP BY has_account) kept USING (has_account)
  WHERE coalesce(counted.n, 0) <> coalesce(kept.n, 0)`

/** How long the repair waits for writers that hold a counter row before it gives up (and leaves the counters as they are). */
const REPAIR_LOCK_TIMEOUT = "5s"

/**
 * Checks the counters against a count of the table and, only if they differ,
 * rewrites them. The rewrite locks the counter table in EXCLUSIVE mode first:
 * it waits for the transactions that have added to a counter (they commit
 * their rows with it), and the statement triggers of writers that come after
 * wait for it, so the count it then takes misses no committed row and counts
 * no row whose delta is still to come. Reads of the counters go on. Returns
 * whether it rewrote them; never throws (a failure is logged).
 */
export async function repairCustomerCounts(dataSource: DataSource, logger: Logger): Promise<boolean> {
  const runner = dataSource.createQueryRunner()
  try {
    await runner.connect()
    const [{ present }] = await runner.query(`SELECT to_regclass($1) IS NOT NULL AS present`, [COUNTER_TABLE])
    if (!present) return false // the schema is missing: the index builder says so
    const [{ wrong }] = await runner.query(WRONG_KINDS_SQL)
    if (wrong === 0) return false
    const started = Date.now()
    await runner.startTransaction()
    try {
      await runner.query(`SELECT set_config('lock_timeout', $1, true)`, [REPAIR_LOCK_TIMEOUT])
      await runner.query(`LOCK TABLE ${COUNTER_TABLE} IN EXCLUSIVE MODE`)
      for (const sql of recountSql) await runner.query(sql)
      await runner.commitTransaction()
    } catch (err) {
      await runner.rollbackTransaction()
      throw err
    }
    logger.info(`[medusa-plugin-customers] recounted the customers in ${Date.now() - started} ms: the counters were wrong (rows written with triggers disabled)`)
    return true
  } catch (err) {
    logger.warn(`[medusa-plugin-customers] customer counts not checked: ${(err as Error).message}`)
    return false
  } finally {
    await runner.release().catch(() => undefined)
  }
}
