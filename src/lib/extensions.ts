import type { QueryRunner } from "typeorm"

type Runner = Pick<QueryRunner, "query">

/** The extensions the search needs: trigram indexes and accent folding. */
export const EXTENSIONS = ["pg_trgm", "unaccent"]

/** The extensions the plugin's migration created (a store may have had them before): its down() drops only those. */
export const EXTENSION_TABLE = "customer_search_extension"

/** Creates the missing extensions and records which it created. */
export async function createExtensions(runner: Runner): Promise<void> {
  await runner.query(`CREATE TABLE ${EXTENSION_TABLE} (name text PRIMARY KEY)`)
  for (const name of EXTENSIONS) {
    const [{ present }] = await runner.query(`SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = $1) AS present`, [name])
    if (present) continue
    await runner.query(`CREATE EXTENSION ${name}`)
    await runner.query(`INSERT INTO ${EXTENSION_TABLE} (name) VALUES ($1)`, [name])
  }
}

/**
 * Whether an object outside the extension depends on one of its members (an
 * index with `gin_trgm_ops`, a function calling `unaccent`…): the store uses it
 * for something of its own.
 */
const IN_USE_SQL = `SELECT EXISTS (
   SELECT 1 FROM pg_extension e
     JOIN pg_depend member ON member.refclassid = 'pg_extension'::regclass AND member.refobjid = e.oid AND member.deptype = 'e'
     JOIN pg_depend d ON d.refclassid = member.classid AND d.refobjid = member.objid AND d.deptype IN ('n', 'a')
    WHERE e.extname = $1
      AND NOT EXISTS (SELECT 1 FROM pg_depend own WHERE own.classid = d.classid AND own.objid = d.objid
                         AND own.refclassid = 'pg_extension'::regclass AND own.refobjid = e.oid AND own.deptype = 'e')
 ) AS used`

/**
 * Drops the extensions the migration created, unless something else now uses
 * them (then it says so and keeps them), and the record of them. Run after the
 * plugin's own objects that use them are gone.
 */
export async function dropCreatedExtensions(runner: Runner): Promise<void> {
  const created: { name: string }[] = await runner.query(`SELECT name FROM ${EXTENSION_TABLE} ORDER BY name`)
  await runner.query(`DROP TABLE ${EXTENSION_TABLE}`)
  for (const { name } of created) {
    const [{ used }] = await runner.query(IN_USE_SQL, [name])
    if (used) console.warn(`[medusa-plugin-customers] kept the extension ${name}, which the plugin created: other objects of the database use it`)
    else await runner.query(`DROP EXTENSION ${name}`)
  }
}
