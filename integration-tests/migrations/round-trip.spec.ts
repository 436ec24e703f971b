import { execFileSync } from "child_process"
import path from "path"
import { Client } from "pg"

/*
 * The plugin's migrations on a store that has customers, then every one of
 * them reverted with `medusa migrations revert`: the schema is core's again,
 * `pg_dump --schema-only` for `pg_dump --schema-only`. Core's migrations
 * create pg_trgm (for product search): the plugin neither records nor drops
 * it; unaccent the plugin creates, and its last revert drops.
 */
const { provideDatabase, withClient, TEST_CLUSTER } = require("../../scripts/lib/database")
const { migrate, run } = require("../../scripts/lib/store")
const { prepareCoreStore } = require("../../scripts/bench/stores")
const { ROOT } = require("../../scripts/lib/env")

const PLUGIN_MIGRATIONS = [
  "CustomerSearch1764400000000",
  "CustomerEmailUnique1764400000001",
  "CustomerIdempotency1764400000002",
  "UserChangesNotify1764400000009",
  "CustomerHistory1764500000000",
  "CustomerHistoryChanges1764500000001",
]

/** A database with core's migrations only: a store before the plugin. */
async function coreStore(database: string): Promise<string> {
  const db = await provideDatabase({ database, fresh: true, cluster: TEST_CLUSTER, log: () => undefined })
  await migrate(db.url, { directory: prepareCoreStore(), quiet: true })
  return db.url
}


/** The schema as pg_dump writes it, less the random key of its `\restrict` lines (newer pg_dump releases). */
function schemaDump(url: string): string {
  const dump = execFileSync("pg_dump", ["--schema-only", "--no-owner", "--no-privileges", url], { encoding: "utf8" })
  return dump.replace(/^\\(un)?restrict .*$/gm, "\\$1restrict <key>")
}

const revert = (url: string) =>
  run(path.join(ROOT, "node_modules", ".bin", "medusa"), ["migrations", "revert"], { env: { ...process.env, DATABASE_URL: url, NODE_ENV: "development" }, quiet: true })

describe("the plugin's migrations, up and down", () => {
  let coreUrl: string
  let url: string

  beforeAll(async () => {
    coreUrl = await coreStore("round_trip_core")
    url = await coreStore("round_trip_plugin")
    await withClient(url, async (pg: Client) => {
      await pg.query(
        `INSERT INTO customer (id, email, first_name, last_name, phone, has_account, created_at) VALUES
           ('cus_rt_1', 'Zoe@Example.com', 'Zoë', 'Müller', '+1 (555) 867-5309', true, '2024-01-01'),
           ('cus_rt_2', 'zoe@example.com', 'Zoe', 'Mueller', NULL, true, '2024-02-01'),
           ('cus_rt_3', 'guest@example.com', NULL, NULL, NULL, false, '2024-03-01')`
      )
      await pg.query("UPDATE customer SET deleted_at = now() WHERE id = 'cus_rt_3'")
    })
    await migrate(url, { quiet: true })
  }, 300000)

  it("fill the search texts, the counters and the duplicates list of the existing customers", async () => {
    await withClient(url, async (pg: Client) => {
      const texts = await pg.query("SELECT id, search_name, search_email, search_phone, email_legacy_duplicate FROM customer ORDER BY id")
      expect(texts.rows).toEqual([
        { id: "cus_rt_1", search_name: "zoe muller", search_email: "zoe@example.com", search_phone: "15558675309", email_legacy_duplicate: null },
        { id: "cus_rt_2", search_name: "zoe mueller", search_email: "zoe@example.com", search_phone: null, email_legacy_duplicate: true },
        { id: "cus_rt_3", search_name: " ", search_email: "guest@example.com", search_phone: null, email_legacy_duplicate: null },
      ])
      const counts = await pg.query("SELECT has_account, sum(n)::int AS n FROM customer_count GROUP BY 1 ORDER BY 1")
      expect(counts.rows).toEqual([{ has_account: true, n: 2 }])
      const listed = await pg.query("SELECT customer_id FROM customer_email_duplicate ORDER BY 1")
      expect(listed.rows).toEqual([{ customer_id: "cus_rt_1" }, { customer_id: "cus_rt_2" }])
      const extensions = await pg.query("SELECT name FROM customer_search_extension")
      expect(extensions.rows).toEqual([{ name: "unaccent" }])
    })
  })

  it("each revert undoes one plugin migration, and after the last the schema is core's, byte for byte", async () => {
    const applied = async () =>
      withClient(url, async (pg: Client) => (await pg.query("SELECT name FROM migrations ORDER BY id DESC LIMIT $1", [PLUGIN_MIGRATIONS.length])).rows.map((r: { name: string }) => r.name))
    expect((await applied()).slice(0, PLUGIN_MIGRATIONS.length)).toEqual([...PLUGIN_MIGRATIONS].reverse())
    for (let i = 0; i < PLUGIN_MIGRATIONS.length; i++) await revert(url)
    expect((await applied())[0]).toBe("AlterCustomerUniqueConstraint1709888477798")

    const [core, reverted] = [schemaDump(coreUrl), schemaDump(url)]
    expect(reverted).toContain("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    expect(reverted).not.toContain("unaccent")
    expect(reverted).toEqual(core)
    // the customers are still there, as they were
    await withClient(url, async (pg: Client) => {
      const { rows } = await pg.query("SELECT id, email, first_name, last_name FROM customer ORDER BY id")
      expect(rows).toEqual([
        { id: "cus_rt_1", email: "Zoe@Example.com", first_name: "Zoë", last_name: "Müller" },
        { id: "cus_rt_2", email: "zoe@example.com", first_name: "Zoe", last_name: "Mueller" },
        { id: "cus_rt_3", email: "guest@example.com", first_name: null, last_name: null },
      ])
    })
  }, 180000)
})
