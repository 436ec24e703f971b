import { seedCustomer } from "../factories/customer"
import { closeDb, db, resetCustomers } from "../setup/context"

/* The two database settings that keep searches fast on a busy store, on the migrated test database. */
const { searchPage, searchTerms } = require("../../dist/queries/customer-search")
const { SEARCH_FUNCTIONS, TRIGRAM_INDEXES } = require("../../dist/lib/search-schema")
const { CustomerSearchSmallPendingList1764400000004 } = require("../../dist/migrations/1764400000004-customer-search-small-pending-list")

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
        const { rows } = await pg.query(`EXPLAIN ${statement.sql}`, statement.params)
        return rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n")
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
    const options = async () =>
      (await pg.query("SELECT relname, reloptions FROM pg_class WHERE relname = ANY($1) ORDER BY relname", [TRIGRAM_INDEXES])).rows
    const expected = (reloptions: string[] | null) =>
      ["IDX_customers_email_trgm", "IDX_customers_name_trgm", "IDX_customers_phone_trgm"].map((relname) => ({ relname, reloptions }))
    expect(await options()).toEqual(expected(["gin_pending_list_limit=128"]))

    // indexes made before the option existed get it from the migration
    const migration = new CustomerSearchSmallPendingList1764400000004()
    const queryRunner = { query: async (sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows }
    await migration.down(queryRunner)
    expect(await options()).toEqual(expected(null))
    await migration.up(queryRunner)
    expect(await options()).toEqual(expected(["gin_pending_list_limit=128"]))
  })
})
