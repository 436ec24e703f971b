import { Client } from "pg"
import { DataSource } from "typeorm"
import { adminClient, closeDb, db, resetCustomers, testEnv } from "../setup/context"

/*
 * The counters behind the list's count (lib/customer-count.ts): kept per
 * statement by triggers, exact after bulk statements, and made exact again at
 * start-up after writes with triggers disabled.
 */
const { repairCustomerCounts } = require("../../dist/lib/customer-count")

type Counts = { all: number; accounts: number; guests: number }

const logger = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() })

/** The counts the list reports (from the counters: no filter but has_account). */
async function listed(): Promise<Counts> {
  const medusa = adminClient()
  const count = async (query: Record<string, unknown>) => (await medusa.admin.customers.list({ limit: 1, ...query } as never)).count
  return { all: await count({}), accounts: await count({ has_account: true }), guests: await count({ has_account: false }) }
}

/** `n` customers `cus_bulk_<prefix>_<i>` in one INSERT … SELECT, every third with an account. */
async function bulkInsert(pg: Client, prefix: string, n: number): Promise<void> {
  await pg.query(
    `INSERT INTO customer (id, email, first_name, last_name, has_account)
     SELECT 'cus_bulk_' || $1 || '_' || i, $1 || i || '@bulk.example', 'Bulk', 'Row' || i, i % 3 = 0 FROM generate_series(1, $2) i`,
    [prefix, n]
  )
}

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: testEnv().databaseUrl })
  await client.connect()
  return client
}

describe("customer counts", () => {
  let dataSource: DataSource

  beforeAll(async () => {
    dataSource = new DataSource({ type: "postgres", url: testEnv().databaseUrl })
    await dataSource.initialize()
  })
  beforeEach(resetCustomers)
  afterAll(async () => {
    await dataSource.destroy()
    await closeDb()
  })

  it("stay exact through a bulk INSERT … SELECT, a bulk UPDATE of has_account, soft deletes and a bulk DELETE", async () => {
    const pg = await db()
    await bulkInsert(pg, "a", 3000) // 1,000 accounts, 2,000 guests
    expect(await listed()).toEqual({ all: 3000, accounts: 1000, guests: 2000 })

    // 1 … 1,200 flip: 400 accounts become guests, 800 guests accounts
    await pg.query("UPDATE customer SET has_account = NOT has_account WHERE id = ANY(SELECT 'cus_bulk_a_' || i FROM generate_series(1, 1200) i)")
    expect(await listed()).toEqual({ all: 3000, accounts: 1400, guests: 1600 })

    // an update of other columns changes no count; one that also soft-deletes does
    await pg.query("UPDATE customer SET first_name = 'Renamed' WHERE id LIKE 'cus_bulk_a_%'")
    expect(await listed()).toEqual({ all: 3000, accounts: 1400, guests: 1600 })
    // 2,001 … 2,400 soft-deleted: 134 accounts (multiples of 3), 266 guests
    await pg.query("UPDATE customer SET deleted_at = now() WHERE id = ANY(SELECT 'cus_bulk_a_' || i FROM generate_series(2001, 2400) i)")
    expect(await listed()).toEqual({ all: 2600, accounts: 1266, guests: 1334 })
    // soft-deleted again: no change; restored: counted again
    await pg.query("UPDATE customer SET deleted_at = now() WHERE id = ANY(SELECT 'cus_bulk_a_' || i FROM generate_series(2001, 2100) i)")
    expect(await listed()).toEqual({ all: 2600, accounts: 1266, guests: 1334 })
    await pg.query("UPDATE customer SET deleted_at = NULL WHERE id = ANY(SELECT 'cus_bulk_a_' || i FROM generate_series(2001, 2100) i)")
    expect(await listed()).toEqual({ all: 2700, accounts: 1300, guests: 1400 })

    // a bulk DELETE of live and soft-deleted rows: only the live ones were counted
    await pg.query("DELETE FROM customer WHERE id = ANY(SELECT 'cus_bulk_a_' || i FROM generate_series(1801, 3000) i)")
    // left: 1 … 1,800, flipped for 1 … 1,200 (800 accounts), unflipped 1,201 … 1,800 (200 accounts)
    expect(await listed()).toEqual({ all: 1800, accounts: 1000, guests: 800 })

    await pg.query("TRUNCATE customer CASCADE")
    expect(await listed()).toEqual({ all: 0, accounts: 0, guests: 0 })
  })

  it("are made exact again at start-up after rows were written with triggers disabled, and left alone when right", async () => {
    const pg = await db()
    await bulkInsert(pg, "b", 300)
    const replica = await connect()
    try {
      await replica.query("SET session_replication_role = replica")
      await bulkInsert(replica, "r", 600) // 200 accounts, 400 guests the counters never hear of
      await replica.query("UPDATE customer SET deleted_at = now() WHERE id LIKE 'cus_bulk_b_%' AND has_account") // 100 accounts gone
    } finally {
      await replica.end()
    }
    expect(await listed()).toEqual({ all: 300, accounts: 100, guests: 200 })

    const log = logger()
    expect(await repairCustomerCounts(dataSource, log)).toBe(true)
    expect(await listed()).toEqual({ all: 800, accounts: 200, guests: 600 })
    expect(log.info.mock.calls.map(([line]: [string]) => line.replace(/\d+ ms/, "N ms"))).toEqual([
      "[medusa-plugin-customers] recounted the customers in N ms: the counters were wrong (rows written with triggers disabled)",
    ])
    expect(await repairCustomerCounts(dataSource, logger())).toBe(false)

    // and the triggers go on from the repaired counts
    await bulkInsert(pg, "c", 30)
    expect(await listed()).toEqual({ all: 830, accounts: 210, guests: 620 })
  })

  it("are rewritten only once the writers that added to them have committed, while other writers wait", async () => {
    const pg = await db()
    await bulkInsert(pg, "d", 90)
    const replica = await connect()
    const writer = await connect()
    try {
      await replica.query("SET session_replication_role = replica")
      await bulkInsert(replica, "r", 30) // 10 accounts, 20 guests uncounted

      // an open transaction that has added to its counters
      await writer.query("BEGIN")
      await bulkInsert(writer, "w", 60) // 20 accounts, 40 guests
      const [{ pid: writerPid }] = (await writer.query("SELECT pg_backend_pid() AS pid")).rows
      const repaired = repairCustomerCounts(dataSource, logger())
      const deadline = Date.now() + 30_000
      let waiting = false
      while (!waiting && Date.now() < deadline) {
        const { rows } = await pg.query(
          "SELECT 1 FROM pg_stat_activity WHERE query LIKE 'LOCK TABLE customer_count%' AND $1 = ANY(pg_blocking_pids(pid))",
          [writerPid]
        )
        waiting = rows.length > 0
        if (!waiting) await new Promise((r) => setTimeout(r, 20))
      }
      expect(waiting).toBe(true)
      // concurrent writers meanwhile: their counters wait for the repair, then add to it
      const others = Promise.all(
        ["e", "f", "g"].map(async (prefix) => {
          const other = await connect()
          try {
            await bulkInsert(other, prefix, 30)
          } finally {
            await other.end()
          }
        })
      )
      await writer.query("COMMIT")
      expect(await repaired).toBe(true)
      await others
    } finally {
      await writer.query("ROLLBACK").catch(() => undefined)
      await Promise.all([replica.end(), writer.end()])
    }
    // 90 + 30 + 60 + 3 × 30 = 270: 90 accounts, 180 guests
    expect(await listed()).toEqual({ all: 270, accounts: 90, guests: 180 })
  })
})
