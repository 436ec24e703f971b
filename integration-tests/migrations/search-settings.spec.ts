import { seedCustomer } from "../factories/customer"
import { closeDb, db, resetCustomers } from "../setup/context"

/* The database settings that keep searches fast on a busy store, on the migrated test database. */
const { searchPage, searchTerms } = require("../../dist/queries/customer-search")
const { SEARCH_FUNCTIONS, SEARCH_INDEXES } = require("../../dist/lib/search-schema")

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

describe("search settings made by the plugin's migration", () => {
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
    const trigram = SEARCH_INDEXES.filter((i: { definition: string }) => i.definition.includes("gin_trgm_ops")).map((i: { name: string }) => i.name)
    expect(trigram).toHaveLength(4)
    expect(await options(trigram)).toEqual(expected(trigram, ["gin_pending_list_limit=128"]))
  })

  it("normalises in PL/pgSQL (cheaper per call than SQL), with the same results, the indexes still used", async () => {
    const pg = await db()
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
    expect(await languages()).toEqual(["customers_digits:plpgsql", "customers_name_doc:sql", "customers_norm:plpgsql"])
    expect(await outputs()).toEqual({ norm: "zoe muller-garcia", name: "angstrom ", digits: "15558675309", no_digits: null, null_norm: null })

    // the stored texts through their indexes; rows without stored texts through theirs, then computed
    await withBulkCustomers(pg, "cus_plpgsql", async () => {
      await pg.query("ANALYZE customer")
      expect(await explain(pg, searchPage({}, searchTerms("zoe"), { skip: 0, take: 50 }, "substring"))).toMatch(
        /BitmapOr[^]*IDX_customers_search_name_trgm[^]*IDX_customers_search_email_trgm[^]*IDX_customers_search_unfilled/
      )
    })
  })

  it("has a multi-word search read only the emails with a space, through their own index, still finding them", async () => {
    const pg = await db()
    const statement = searchPage({}, searchTerms("Caterina Yost"), { skip: 0, take: 50 }, "substring")
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

      // without the index (not built yet on a large store) the same search reads every email's trigrams, with the same result
      await pg.query('DROP INDEX "IDX_customers_search_email_spaced_trgm"') // rolled back with the transaction
      expect(await plan()).toContain('"IDX_customers_search_email_trgm"')
      expect((await pg.query(statement.sql, statement.params)).rows).toEqual([{ id: "cus_spaced_email", total: "1" }])
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
})
