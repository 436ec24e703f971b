import { adminClient, closeDb, db, failure, resetCustomers } from "../setup/context"

/*
 * Legacy case-variant duplicates on the running store (the email-uniqueness
 * migration undone, duplicates written, the migration run again), and the
 * list's email filter answered from an index.
 */
const { CustomerEmailUnique1764400000001 } = require("../../dist/migrations/1764400000001-customer-email-unique")
const { listPage, listCount } = require("../../dist/queries/list-statements")

type Pg = { query: (sql: string, params?: unknown[]) => Promise<{ rows: any[] }> }
type PlanNode = { "Node Type": string; "Index Name"?: string; "Relation Name"?: string; Plans?: PlanNode[] }

/** Every node of `statement`'s plan as "Node Type[ on index | relation]". */
async function planNodes(pg: Pg, statement: { sql: string; params: unknown[] }): Promise<string[]> {
  const { rows } = await pg.query(`EXPLAIN (FORMAT JSON) ${statement.sql}`, statement.params)
  const nodes: string[] = []
  const walk = (node: PlanNode) => {
    const on = node["Index Name"] ?? node["Relation Name"]
    nodes.push(on ? `${node["Node Type"]} on ${on}` : node["Node Type"])
    for (const child of node.Plans ?? []) walk(child)
  }
  walk(rows[0]["QUERY PLAN"][0].Plan)
  return nodes
}

describe("legacy duplicate emails on a running store", () => {
  beforeEach(resetCustomers)
  afterAll(async () => {
    await resetCustomers()
    await closeDb()
  })

  it("keeps and lists them, finds them by email, and refuses a new write joining them (422)", async () => {
    const pg = await db()
    const queryRunner = { query: async (sql: string, params?: unknown[]) => (await pg.query(sql, params)).rows }
    const migration = new CustomerEmailUnique1764400000001()
    await migration.down(queryRunner)
    try {
      await pg.query(
        `INSERT INTO customer (id, email, has_account, created_at) VALUES
           ('cus_dup_old', 'Dana@Example.com', true, '2023-01-01'), ('cus_dup_new', 'dana@example.com', true, '2023-06-01')`
      )
    } finally {
      await migration.up(queryRunner)
    }
    const listed = await pg.query("SELECT customer_id, email FROM customer_email_duplicate ORDER BY customer_id")
    expect(listed.rows).toEqual([
      { customer_id: "cus_dup_new", email: "dana@example.com" },
      { customer_id: "cus_dup_old", email: "Dana@Example.com" },
    ])

    const medusa = adminClient()
    const found = await medusa.admin.customers.list({ email: "DANA@EXAMPLE.COM" } as never)
    expect([found.count, found.customers.map((c) => c.id)]).toEqual([2, ["cus_dup_new", "cus_dup_old"]])

    const created = await failure(medusa.admin.customers.create({ email: "dana@EXAMPLE.com", first_name: "D", last_name: "X", password: "supersecret" }))
    expect(created).toEqual({
      status: 422,
      body: { type: "duplicate_error", code: "invalid_request_error", message: "A customer with the given email already has an account. Log in instead" },
    })
    // below the service too: the group's oldest member is in the unique index
    await expect(pg.query("INSERT INTO customer (id, email, has_account) VALUES ('cus_dup_raw', 'DANA@example.com', true)")).rejects.toThrow(
      /UQ_customers_email_lower_account/
    )
    const { rows } = await pg.query("SELECT id, email FROM customer WHERE lower(email) = 'dana@example.com' ORDER BY id")
    expect(rows).toEqual([
      { id: "cus_dup_new", email: "dana@example.com" },
      { id: "cus_dup_old", email: "Dana@Example.com" },
    ])
  })

  it("answers the list's email filter from the index on lower(email), not by walking the list's order", async () => {
    const pg = await db()
    await pg.query("BEGIN")
    try {
      await pg.query(
        `INSERT INTO customer (id, email, first_name, last_name, has_account)
         SELECT 'cus_bulk' || n, 'bulk' || n || '@example.com', 'Bulk', 'Customer' || n, n % 2 = 0 FROM generate_series(1, 20000) n`
      )
      await pg.query("ANALYZE customer")
      const filters = { email: "BULK12345@EXAMPLE.COM" }
      const page = listPage(filters, { skip: 0, take: 50, relations: [] })
      expect(await planNodes(pg, page)).toEqual([
        "Limit",
        "Bitmap Heap Scan on customer",
        "Bitmap Index Scan on IDX_customers_email_lower",
        "Sort",
        "Index Scan on PK_a7a13f4cacb744524e44dfdad32",
      ])
      expect((await pg.query(page.sql, page.params)).rows).toEqual([{ id: "cus_bulk12345" }])
      const count = listCount({ ...filters, has_account: false })
      expect(await planNodes(pg, count)).toEqual([
        "Aggregate",
        "Bitmap Heap Scan on customer",
        "Bitmap Index Scan on IDX_customers_email_lower",
        "Index Scan on PK_a7a13f4cacb744524e44dfdad32",
      ])
      expect((await pg.query(count.sql, count.params)).rows).toEqual([{ total: "1" }])
    } finally {
      await pg.query("ROLLBACK")
      await pg.query("ANALYZE customer")
    }
  })
})
