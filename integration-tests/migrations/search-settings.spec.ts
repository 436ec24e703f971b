import { seedCustomer } from "../factories/customer"
import { adminClient, closeDb, db, resetCustomers } from "../setup/context"

/* The two database settings that keep searches fast on a busy store, on the migrated test database. */
const { searchPage, searchTerms } = require("../../dist/queries/customer-search")
const { SEARCH_FUNCTIONS, TRIGRAM_INDEXES, COLUMN_TRIGRAM_INDEXES, LEGACY_SEARCH_INDEXES, createIndexSql } = require("../../dist/lib/search-schema")

/** The expression trigram indexes migrations 0–6 made (replaced by the column ones), made again for a test. */
async function withLegacyIndexes<T>(pg: { query: (sql: string) => Promise<unknown> }, body: () => Promise<T>): Promise<T> {
  const legacy = LEGACY_SEARCH_INDEXES.filter((i: { name: string }) => TRIGRAM_INDEXES.includes(i.name))
  try {
    for (const index of legacy) await pg.query(createIndexSql(index, false))
    return await body()
  } finally {
    for (const index of legacy) await pg.query(`DROP INDEX IF EXISTS "${index.name}"`)
  }
}
type Pg = { query: (sql: string, params?: unknown[]) => Promise<{ rows: any[] }> }

/**
 * Runs `body` in a transaction holding 5,000 extra customers (enough for the
 * indexes to pay), analysed; rolls it back, then analyses the real table again
 * (ANALYZE writes the table's size in place, which no rollback undoes).
 */
async function withBulkCustomers(pg: Pg, prefix: string, body: () => Promise<void>): Promise<void> {
  await pg.query("BEGIN")
  try {
    await pg.query(
      `INSERT INTO customer (id, email, first_name, last_name, has_account)
       SELECT $1 || n, 'bulk' || n || '@example.com', 'Bulk', 'Customer' || n, false FROM generate_series(1, 5000) n`,
      [prefix]
    )
    await body()
  } finally {
    await pg.query("ROLLBACK")
    await pg.query("ANALYZE customer")
  }
}

/** The plan of `statement`, as text (`options`: EXPLAIN's, e.g. "VERBOSE"). */
async function explain(pg: Pg, statement: { sql: string; params: unknown[] }, options = ""): Promise<string> {
  const { rows } = await pg.query(`EXPLAIN ${options} ${statement.sql}`, statement.params)
  return rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n")
}

const { CustomerSearchSmallPendingList1764400000004 } = require("../../dist/migrations/1764400000004-customer-search-small-pending-list")
const { CustomerSearchPlpgsql1764400000005 } = require("../../dist/migrations/1764400000005-customer-search-plpgsql")
const { CustomerSearchInlineRanking1764400000006 } = require("../../dist/migrations/1764400000006-customer-search-inline-ranking")
const { CustomerSearchSpacedEmails1764400000008 } = require("../../dist/migrations/1764400000008-customer-search-spaced-emails")

describe("search settings made by the plugin's migrations", () => {
  beforeAll(resetCustomers)
  afterAll(closeDb)

  it("never plans a search with parallel workers, even where they would look free", async () => {
    for (let i = 0; i < 30; i++) await seedCustomer()
    const statement = searchPage({}, searchTerms("yost"), { skip: 0, take: 50 }, "substring")
    const pg = await db()
    const plan = async (parallelSafe: boolean) => {
      await pg.query("BEGIN")
      try {
        if (parallelSafe) for (const fn of SEARCH_FUNCTIONS) await pg.query(`ALTER FUNCTION ${fn} PARALLEL SAFE`)
        // parallelism made free and the indexes out of reach: the planner's favourite is a parallel scan
        for (const setting of ["parallel_setup_cost = 0", "parallel_tuple_cost = 0", "min_parallel_table_scan_size = 0", "enable_bitmapscan = off", "enable_indexscan = off"])
          await pg.query(`SET LOCAL ${setting}`)
        return await explain(pg, statement)
      } finally {
        await pg.query("ROLLBACK")
      }
    }
    // the control: with the functions parallel-safe, the same statement is planned in parallel
    expect(await plan(true)).toMatch(/Gather/)
    expect(await plan(false)).not.toMatch(/Gather/)
  })

  it("keeps the trigram indexes' GIN pending list, which every search scans, at 128 kB", async () => {
    const pg = await db()
    const options = async (names: string[]) =>
      (await pg.query("SELECT relname, reloptions FROM pg_class WHERE relname = ANY($1) ORDER BY relname", [names])).rows
    const expected = (names: string[], reloptions: string[] | null) => [...names].sort().map((relname) => ({ relname, reloptions }))
    expect(await options(COLUMN_TRIGRAM_INDEXES)).toEqual(expected(COLUMN_TRIGRAM_INDEXES, ["gin_pending_list_limit=128"]))

    // the expression indexes made before the option existed got it from the migration
    await withLegacyIndexes(pg, async () => {
      const migration = new CustomerSearchSmallPendingList1764400000004()
      const queryRunner = { query: async (sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows }
      await migration.down(queryRunner)
      expect(await options(TRIGRAM_INDEXES)).toEqual(expected(TRIGRAM_INDEXES, null))
      await migration.up(queryRunner)
      expect(await options(TRIGRAM_INDEXES)).toEqual(expected(TRIGRAM_INDEXES, ["gin_pending_list_limit=128"]))
    })
  })

  it("normalises in PL/pgSQL (cheaper per call than SQL), with the same results, the indexes still used", async () => {
    const pg = await db()
    const queryRunner = { query: async (sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows }
    const languages = async () =>
      (
        await pg.query(
          `SELECT p.proname, l.lanname FROM pg_proc p JOIN pg_language l ON l.oid = p.prolang
            WHERE p.proname IN ('customers_norm', 'customers_digits', 'customers_name_doc') ORDER BY p.proname`
        )
      ).rows.map((r: { proname: string; lanname: string }) => `${r.proname}:${r.lanname}`)
    const outputs = async () =>
      (
        await pg.query(
          `SELECT customers_norm('Zoë Müller-GARCÍA') AS norm, customers_name_doc('Ångström', NULL) AS name,
                  customers_digits('+1 (555) 867-5309') AS digits, customers_digits('n/a') AS no_digits, customers_norm(NULL) AS null_norm`
        )
      ).rows[0]
    const expected = { norm: "zoe muller-garcia", name: "angstrom ", digits: "15558675309", no_digits: null, null_norm: null }
    const migration = new CustomerSearchPlpgsql1764400000005()

    expect(await languages()).toEqual(["customers_digits:plpgsql", "customers_name_doc:sql", "customers_norm:plpgsql"])
    expect(await outputs()).toEqual(expected)
    await migration.down(queryRunner)
    expect(await languages()).toEqual(["customers_digits:sql", "customers_name_doc:sql", "customers_norm:sql"])
    expect(await outputs()).toEqual(expected)
    await migration.up(queryRunner)
    expect(await languages()).toEqual(["customers_digits:plpgsql", "customers_name_doc:sql", "customers_norm:plpgsql"])

    // the trigram indexes must still match the calls
    await withBulkCustomers(pg, "cus_plpgsql", async () => {
      await pg.query("ANALYZE customer")
      const plan = async (texts: string) => await explain(pg, searchPage({}, searchTerms("zoe"), { skip: 0, take: 50 }, "substring", texts))
      // the stored texts through their indexes
      expect(await plan("columns")).toMatch(/IDX_customers_search_name_trgm[^]*IDX_customers_search_email_trgm/)
      // a store whose texts are not stored yet: the expression indexes still match the PL/pgSQL functions
      // (made inside this transaction, which is rolled back)
      for (const index of LEGACY_SEARCH_INDEXES.filter((i: { name: string }) => TRIGRAM_INDEXES.includes(i.name)))
        await pg.query(createIndexSql(index, false))
      expect(await plan("inline")).toMatch(/"IDX_customers_name_trgm"[^]*"IDX_customers_email_trgm"/)
    })
  })

  it("has a multi-word search read only the emails with a space, through their own index, still finding them", async () => {
    const pg = await db()
    const queryRunner = { query: async (sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows }
    const statement = searchPage({}, searchTerms("Caterina Yost"), { skip: 0, take: 50 }, "substring")
    const migration = new CustomerSearchSpacedEmails1764400000008()
    await withBulkCustomers(pg, "cus_spaced", async () => {
      // one whose email (only) has the full name, with a space
      await pg.query(`INSERT INTO customer (id, email, first_name, last_name, has_account) VALUES ('cus_spaced_email', '"Caterina Yost"@example.com', 'C', 'Y', false)`)
      await pg.query("ANALYZE customer")
      const plan = async () => await explain(pg, statement)
      expect(await plan()).toMatch(/IDX_customers_search_name_trgm[^]*IDX_customers_search_email_spaced_trgm/)
      expect(await plan()).not.toContain('"IDX_customers_search_email_trgm"')
      // the indexes are asked with the words alone, folded into a constant (queries/customer-search.ts, trigramProbe)
      expect(await plan()).toContain("Index Cond: (search_name ~~ '%caterina%yost%'::text)")
      expect((await pg.query(statement.sql, statement.params)).rows).toEqual([{ id: "cus_spaced_email", total: "1" }])

      // without the index (migration 8 undone) the same search reads every email's trigrams, with the same result
      await migration.down(queryRunner)
      expect(await plan()).toContain('"IDX_customers_search_email_trgm"')
      expect((await pg.query(statement.sql, statement.params)).rows).toEqual([{ id: "cus_spaced_email", total: "1" }])
      await migration.up(queryRunner)
      expect(await plan()).toMatch(/IDX_customers_search_email_spaced_trgm/)
    })
  })

  it("asks the phone and email indexes for three trigrams of a long number, and finds only the number", async () => {
    const pg = await db()
    const statement = searchPage({}, searchTerms("5558675309"), { skip: 0, take: 50 }, "substring")
    await withBulkCustomers(pg, "cus_phone", async () => {
      await pg.query(
        `INSERT INTO customer (id, email, first_name, last_name, phone, has_account)
         SELECT 'cus_phone_' || n, 'phone' || n || '@example.com', 'P', 'Q', lpad((n * 7919)::text, 10, '5'), false FROM generate_series(1, 3000) n`
      )
      await pg.query(`INSERT INTO customer (id, email, phone, has_account) VALUES ('cus_the_one', 'one@example.com', '+1 (555) 867-5309', false),
        ('cus_near', 'near@example.com', '555-867-0309', false)`)
      await pg.query("ANALYZE customer")
      const plan = await explain(pg, statement)
      expect(plan).toContain("Index Cond: (search_phone ~~ '%555%867%309%'::text)")
      expect(plan).toContain("Index Cond: (search_email ~~ '%555%867%309%'::text)")
      expect(plan).toContain("strpos(search_phone, '5558675309'::text) > 0")
      // cus_near has 555, 867 and 309 in that order, not the number
      expect((await pg.query(statement.sql, statement.params)).rows).toEqual([{ id: "cus_the_one", total: "1" }])
    })
  })

  it("ranks through inlined copies of the normalising functions, whose results are the indexed functions' results", async () => {
    const pg = await db()
    const queryRunner = { query: async (sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows }
    const texts = ["Zoë Müller-GARCÍA", "ÅNGSTRÖM", "straße", "Œuvre", "İstanbul", "tab\there", "", "+1 (555) 867-5309", "n/a", null]
    const { rows } = await pg.query(
      `SELECT t, u,
              customers_norm(t) IS NOT DISTINCT FROM customers_norm_inline(t) AS norm,
              customers_name_doc(t, u) IS NOT DISTINCT FROM customers_name_doc_inline(t, u) AS name,
              customers_digits(t) IS NOT DISTINCT FROM customers_digits_inline(t) AS digits
         FROM unnest($1::text[]) t CROSS JOIN unnest($1::text[]) u`,
      [texts]
    )
    expect(rows.filter((r: Record<string, unknown>) => !(r.norm && r.name && r.digits))).toEqual([])
    expect(rows).toHaveLength(texts.length ** 2)

    const statement = searchPage({}, searchTerms("555 867"), { skip: 0, take: 50 }, "substring", "inline")
    const verbosePlan = async () => await explain(pg, statement, "VERBOSE")
    // the three are read (email, name, last name, phone), and not one is called
    expect(statement.sql).toMatch(/customers_norm_inline\(c\.email\).*customers_name_doc_inline\(.*customers_norm_inline\(c\.last_name\).*customers_digits_inline\(c\.phone\)/s)
    expect(await verbosePlan()).not.toMatch(/_inline\(/)
    await pg.query("BEGIN")
    try {
      // the control: declared IMMUTABLE, a wrapper of the STABLE unaccent is not inlined, and the plan shows the call
      await pg.query("ALTER FUNCTION customers_norm_inline(text) IMMUTABLE")
      expect(await verbosePlan()).toMatch(/customers_norm_inline\(/)
    } finally {
      await pg.query("ROLLBACK")
    }

    // a store whose migration has not run yet (the plugin upgraded, migrations pending) still searches, ranked the same
    await seedCustomer({ first_name: "Zoë", last_name: "Müller-García", email: "zoe@example.com" })
    await seedCustomer({ first_name: "Zoey", last_name: "Zoellner", email: "zz@example.com" })
    const search = async () => {
      const { customers, count } = await adminClient().admin.customers.list({ q: "zoe" } as never)
      return { ids: customers.map((c) => c.email), count }
    }
    const ranked = await search()
    expect(ranked.count).toBe(2)
    const migration = new CustomerSearchInlineRanking1764400000006()
    await migration.down(queryRunner)
    try {
      await expect(pg.query("SELECT customers_norm_inline('x')")).rejects.toThrow(/does not exist/)
      expect(await search()).toEqual(ranked)
      expect(await search()).toEqual(ranked)
    } finally {
      await migration.up(queryRunner)
    }
    expect((await pg.query("SELECT customers_norm_inline('Zoë') AS v")).rows).toEqual([{ v: "zoe" }])
    expect(await search()).toEqual(ranked)
  })
})
