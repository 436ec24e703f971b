import { Client } from "pg"

/* A store that already holds case-variant duplicate emails installs the plugin. */
const { provideDatabase, TEST_CLUSTER } = require("../../scripts/lib/database")
const { migrate } = require("../../scripts/lib/store")
const { prepareCoreStore } = require("../../scripts/bench/stores")

const LEGACY = [
  // a2 is the older of the two: it stays in the unique index, a1 is marked and left out
  ["cus_legacy_a1", "Anna@Example.com", true],
  ["cus_legacy_a2", "anna@example.com", true],
  ["cus_legacy_b1", "bob@example.com", false],
  ["cus_legacy_b2", "BOB@example.com", false],
  ["cus_legacy_c1", "carol@example.com", true],
  ["cus_legacy_c2", "CAROL@example.com", false],
] as const

describe("migrating a store with case-variant duplicate emails", () => {
  let pg: Client
  let output: string

  beforeAll(async () => {
    const db = await provideDatabase({ database: "legacy_duplicates", fresh: true, cluster: TEST_CLUSTER, log: () => undefined })
    await migrate(db.url, { directory: prepareCoreStore(), quiet: true }) // core's migrations only: the store before the plugin
    pg = new Client({ connectionString: db.url })
    await pg.connect()
    for (const [i, [id, email, account]] of LEGACY.entries()) {
      const created = new Date(Date.UTC(2024, 0, 1) + (i % 2 ? -1 : 1) * 60_000 * (i + 1)) // a2, b2 older than a1, b1
      await pg.query("INSERT INTO customer (id, email, has_account, created_at) VALUES ($1, $2, $3, $4)", [id, email, account, created])
    }
    output = await migrate(db.url, { quiet: true }) // now with the plugin
  }, 180000)

  afterAll(async () => {
    await pg?.end()
  })

  it("succeeds, reports the duplicates and leaves their data as it was", async () => {
    expect(output).toContain(
      "[medusa-plugin-customers] 4 customers share an email with another customer of the same kind (case-insensitively); " +
        "they are kept as they are and listed in customer_email_duplicate"
    )
    const listed = await pg.query("SELECT customer_id, email, has_account FROM customer_email_duplicate ORDER BY customer_id")
    expect(listed.rows).toEqual([
      { customer_id: "cus_legacy_a1", email: "Anna@Example.com", has_account: true },
      { customer_id: "cus_legacy_a2", email: "anna@example.com", has_account: true },
      { customer_id: "cus_legacy_b1", email: "bob@example.com", has_account: false },
      { customer_id: "cus_legacy_b2", email: "BOB@example.com", has_account: false },
    ])
    const rows = await pg.query("SELECT id, email, has_account FROM customer WHERE id LIKE 'cus_legacy%' ORDER BY id")
    expect(rows.rows.map((r) => [r.id, r.email, r.has_account])).toEqual(LEGACY.map(([id, email, account]) => [id, email, account]))
  })

  it("marks all but the oldest of each group, and leaves only those out of the unique index", async () => {
    const marked = await pg.query("SELECT id FROM customer WHERE email_legacy_duplicate ORDER BY id")
    expect(marked.rows).toEqual([{ id: "cus_legacy_a1" }, { id: "cus_legacy_b1" }])
    const { rows } = await pg.query(
      "SELECT pg_get_expr(indpred, indrelid) AS predicate FROM pg_index WHERE indexrelid = '\"UQ_customers_email_lower_account\"'::regclass"
    )
    expect(rows).toEqual([{ predicate: "((deleted_at IS NULL) AND (email_legacy_duplicate IS NULL))" }])
  })

  it("enforces uniqueness for new writes", async () => {
    await pg.query("INSERT INTO customer (id, email, has_account) VALUES ('cus_new_1', 'dave@example.com', true)")
    await expect(pg.query("INSERT INTO customer (id, email, has_account) VALUES ('cus_new_2', 'DAVE@example.com', true)")).rejects.toThrow(
      /UQ_customers_email_lower_account/
    )
    await expect(pg.query("INSERT INTO customer (id, email, has_account) VALUES ('cus_new_3', 'Carol@Example.com', true)")).rejects.toThrow(
      /UQ_customers_email_lower_account/
    )
    // joining a recorded group: the member kept in the index refuses it
    await expect(pg.query("INSERT INTO customer (id, email, has_account) VALUES ('cus_new_4', 'ANNA@example.com', true)")).rejects.toThrow(
      /UQ_customers_email_lower_account/
    )
    await expect(pg.query("INSERT INTO customer (id, email, has_account) VALUES ('cus_new_5', 'Bob@Example.com', false)")).rejects.toThrow(
      /UQ_customers_email_lower_account/
    )
  })
})
