import { Client } from "pg"
import { DataSource } from "typeorm"
import { seedCustomer } from "../factories/customer"
import { closeDb, db, resetCustomers, testEnv } from "../setup/context"

/*
 * The large-store path: the migration leaves the search indexes out and the
 * plugin builds them at start-up with CREATE INDEX CONCURRENTLY. Run here
 * against the migrated test database, with the indexes taken away first.
 */
const { ensureSearchIndexes, SEARCH_INDEX_LOCK_KEY } = require("../../dist/lib/search-indexes")
const { SEARCH_INDEXES, createIndexSql } = require("../../dist/lib/search-schema")

type IndexState = { name: string; valid: boolean }

const logger = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() })

async function connect(): Promise<Client> {
  const client = new Client({ connectionString: testEnv().databaseUrl })
  await client.connect()
  return client
}

async function states(names: string[]): Promise<IndexState[]> {
  const { rows } = await (await db()).query(
    `SELECT c.relname AS name, i.indisvalid AS valid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
      WHERE c.relname = ANY($1) ORDER BY c.relname`,
    [names]
  )
  return rows
}

/** Waits until a session is blocked in a CREATE INDEX, waiting for a lock. */
async function waitForBlockedBuild(): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const { rows } = await (await db()).query(
      `SELECT 1 FROM pg_stat_activity WHERE query ILIKE 'CREATE INDEX%' AND wait_event_type = 'Lock'`
    )
    if (rows.length) return
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error("no CREATE INDEX ever waited for the open writer")
}

/** An UPDATE of another customer that gives up after `ms` of waiting for a lock; resolves with its error code, or "ok". */
async function updateWithin(id: string, ms: number): Promise<string> {
  const writer = await connect()
  try {
    await writer.query(`SET lock_timeout = '${ms}ms'`)
    await writer.query("UPDATE customer SET first_name = 'Written' WHERE id = $1", [id])
    return "ok"
  } catch (err) {
    return (err as { code: string }).code
  } finally {
    await writer.end()
  }
}

describe("search indexes built at start-up on a large store", () => {
  let dataSource: DataSource
  const all: string[] = SEARCH_INDEXES.map((i: { name: string }) => i.name)
  const trigram = ["IDX_customers_email_trgm", "IDX_customers_name_trgm"]

  beforeAll(async () => {
    await resetCustomers()
    dataSource = new DataSource({ type: "postgres", url: testEnv().databaseUrl })
    await dataSource.initialize()
  })

  afterAll(async () => {
    // whatever happened, the test database keeps every index the other suites expect
    await ensureSearchIndexes(dataSource, logger())
    await dataSource.destroy()
    await closeDb()
  })

  it("builds the missing indexes while writes go on, where a plain CREATE INDEX blocks them", async () => {
    const pg = await db()
    const [held, other] = [await seedCustomer(), await seedCustomer()]
    for (const name of trigram) await pg.query(`DROP INDEX "${name}"`)

    // the control: a plain CREATE INDEX holds a SHARE lock to its transaction's end; a write waits
    const plain = await connect()
    try {
      await plain.query("BEGIN")
      await plain.query(createIndexSql(SEARCH_INDEXES.find((i: { name: string }) => i.name === trigram[0]), false))
      expect(await updateWithin(other, 300)).toBe("55P03") // lock_not_available
    } finally {
      await plain.query("ROLLBACK")
      await plain.end()
    }

    // a writer's open transaction: the concurrent build must wait for it, and meanwhile writes go on
    const holder = await connect()
    let built: Promise<string[]> | undefined
    try {
      await holder.query("BEGIN")
      await holder.query("UPDATE customer SET last_name = 'Held' WHERE id = $1", [held])
      built = ensureSearchIndexes(dataSource, logger())
      await waitForBlockedBuild()
      expect(await updateWithin(other, 300)).toBe("ok")
    } finally {
      await holder.query("COMMIT")
      await holder.end()
    }
    expect(await built).toEqual(all.filter((name) => trigram.includes(name)))
    expect(await states(all)).toEqual([...all].sort().map((name) => ({ name, valid: true })))
    // both writes landed: the held transaction's and the one made during the build
    const { rows } = await pg.query("SELECT id, first_name, last_name FROM customer WHERE id = ANY($1)", [[held, other]])
    const byId = new Map(rows.map((r: { id: string; first_name: string; last_name: string }) => [r.id, `${r.first_name} ${r.last_name}`]))
    expect([byId.get(held)?.endsWith(" Held"), byId.get(other)?.startsWith("Written ")]).toEqual([true, true])
  })

  it("drops an interrupted build's invalid index and builds it again, with its options", async () => {
    const pg = await db()
    const name = "IDX_customers_phone_trgm"
    const id = await seedCustomer()
    await pg.query(`DROP INDEX "${name}"`)
    // interrupted: cancelled while it waited for an open writer, after its catalogue entry was made
    const holder = await connect()
    const builder = await connect()
    try {
      await holder.query("BEGIN")
      await holder.query("UPDATE customer SET last_name = 'Held' WHERE id = $1", [id])
      await builder.query("SET statement_timeout = '300ms'")
      await expect(builder.query(createIndexSql(SEARCH_INDEXES.find((i: { name: string }) => i.name === name), true))).rejects.toThrow(
        /statement timeout/
      )
    } finally {
      await holder.query("COMMIT")
      await Promise.all([holder.end(), builder.end()])
    }
    expect(await states([name])).toEqual([{ name, valid: false }])

    expect(await ensureSearchIndexes(dataSource, logger())).toEqual([name])
    expect(await states([name])).toEqual([{ name, valid: true }])
    const { rows } = await pg.query("SELECT reloptions FROM pg_class WHERE relname = $1", [name])
    expect(rows).toEqual([{ reloptions: ["gin_pending_list_limit=128"] }])
  })

  it("leaves the build to the instance holding the lock, and builds once it is free", async () => {
    const pg = await db()
    const name = "IDX_customers_email_lower"
    await pg.query(`DROP INDEX "${name}"`)
    const other = await connect()
    try {
      await other.query("SELECT pg_advisory_lock($1)", [SEARCH_INDEX_LOCK_KEY])
      expect(await ensureSearchIndexes(dataSource, logger())).toEqual([])
      expect(await states([name])).toEqual([])
    } finally {
      await other.query("SELECT pg_advisory_unlock($1)", [SEARCH_INDEX_LOCK_KEY])
      await other.end()
    }
    expect(await ensureSearchIndexes(dataSource, logger())).toEqual([name])
    expect(await states([name])).toEqual([{ name, valid: true }])
  })
})
