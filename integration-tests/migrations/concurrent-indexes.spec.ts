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
const { SEARCH_TEXT_COLUMNS } = require("../../dist/lib/search-columns")

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

/** The pid of this database's CREATE INDEX blocked by `holder`'s session; fails after 30 s. */
async function blockedBuildPid(holder: Client): Promise<number> {
  const [{ pid: holderPid }] = (await holder.query("SELECT pg_backend_pid() AS pid")).rows
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    const { rows } = await (await db()).query(
      `SELECT pid FROM pg_stat_activity
        WHERE datname = current_database() AND query ILIKE 'CREATE INDEX%' AND $1 = ANY(pg_blocking_pids(pid))`,
      [holderPid]
    )
    if (rows.length) return rows[0].pid
    await new Promise((r) => setTimeout(r, 25))
  }
  throw new Error("no CREATE INDEX ever waited for the open writer")
}

/** The builder, given 30 s: a builder that waits forever (a blocking lock, say) fails the test instead of hanging it. */
async function build(dataSource: DataSource): Promise<string[]> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the index builder did not return within 30 s")), 30_000)
  })
  try {
    return await Promise.race([ensureSearchIndexes(dataSource, logger()) as Promise<string[]>, timeout])
  } finally {
    clearTimeout(timer)
  }
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
  const trigram = ["IDX_customers_search_email_trgm", "IDX_customers_search_name_trgm"]

  beforeAll(async () => {
    await resetCustomers()
    dataSource = new DataSource({ type: "postgres", url: testEnv().databaseUrl })
    await dataSource.initialize()
  })

  afterAll(async () => {
    // whatever happened, the test database keeps every index the other suites expect, valid
    const pg = await db()
    await ensureSearchIndexes(dataSource, logger())
    const valid = new Set((await states(all)).filter((s) => s.valid).map((s) => s.name))
    for (const index of SEARCH_INDEXES.filter((i: { name: string }) => !valid.has(i.name))) {
      await pg.query(`DROP INDEX IF EXISTS "${index.name}"`)
      await pg.query(createIndexSql(index, false))
    }
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
      built = build(dataSource)
      await blockedBuildPid(holder)
      expect(await updateWithin(other, 300)).toBe("ok")
    } finally {
      await holder.query("COMMIT")
      await holder.end()
      await Promise.allSettled([built]) // never leave a builder running (and holding its lock) behind
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
    const name = "IDX_customers_search_phone_trgm"
    const id = await seedCustomer()
    await pg.query(`DROP INDEX "${name}"`)
    // interrupted: a concurrent build cancelled while it waits for an open writer, its catalogue entry made
    const holder = await connect()
    const builder = await connect()
    try {
      await holder.query("BEGIN")
      await holder.query("UPDATE customer SET last_name = 'Held' WHERE id = $1", [id])
      const running = builder.query(createIndexSql(SEARCH_INDEXES.find((i: { name: string }) => i.name === name), true))
      const settled = running.then(
        () => "built",
        (err: Error) => err.message
      )
      await (await db()).query("SELECT pg_cancel_backend($1)", [await blockedBuildPid(holder)])
      expect(await settled).toMatch(/canceling statement due to user request/)
    } finally {
      await holder.query("COMMIT")
      await Promise.all([holder.end(), builder.end()])
    }
    expect(await states([name])).toEqual([{ name, valid: false }])

    expect(await build(dataSource)).toEqual([name])
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
      expect(await build(dataSource)).toEqual([])
      expect(await states([name])).toEqual([])
    } finally {
      await other.query("SELECT pg_advisory_unlock($1)", [SEARCH_INDEX_LOCK_KEY])
      await other.end()
    }
    expect(await build(dataSource)).toEqual([name])
    expect(await states([name])).toEqual([{ name, valid: true }])
  })
  it("fills the texts of rows written before the migration, then builds the indexes on them", async () => {
    const pg = await db()
    const ids = [
      await seedCustomer({ first_name: "Zoë", last_name: "Müller-García", email: "Zoe.M@Example.com", phone: "+1 (555) 867-5309" }),
      await seedCustomer({ first_name: "Caterina", last_name: "Yost" }),
      await seedCustomer({ first_name: undefined, email: "guest@example.com" }),
    ]
    // a large store just migrated: texts not stored yet (the trigger does not fire for this), no index on them
    await pg.query(`UPDATE customer SET ${SEARCH_TEXT_COLUMNS.map((c: string) => `${c} = NULL`).join(", ")}`)
    const columnIndexes = SEARCH_INDEXES.filter((i: { name: string }) => i.name.includes("_search_"))
    for (const index of columnIndexes) await pg.query(`DROP INDEX "${index.name}"`)

    expect(await build(dataSource)).toEqual(columnIndexes.map((i: { name: string }) => i.name))
    const { rows } = await pg.query(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE search_name IS NOT DISTINCT FROM customers_name_doc(first_name, last_name)
                                 AND search_email IS NOT DISTINCT FROM customers_norm(email)
                                 AND search_last_name IS NOT DISTINCT FROM customers_norm(last_name)
                                 AND search_phone IS NOT DISTINCT FROM customers_digits(phone))::int AS right
         FROM customer`
    )
    expect(rows).toEqual([{ n: rows[0].n, right: rows[0].n }])
    expect(rows[0].n).toBeGreaterThanOrEqual(ids.length)
    const { rows: zoe } = await pg.query("SELECT search_name, search_email, search_last_name, search_phone FROM customer WHERE id = $1", [ids[0]])
    expect(zoe).toEqual([{ search_name: "zoe muller-garcia", search_email: "zoe.m@example.com", search_last_name: "muller-garcia", search_phone: "15558675309" }])
    expect(await states(all)).toEqual([...all].sort().map((name) => ({ name, valid: true })))
  })
  it("fills the texts of rows loaded with triggers disabled, with every index already in place", async () => {
    const pg = await db()
    const id = await seedCustomer({ first_name: "Bulk", last_name: "Lädt" })
    await pg.query(`UPDATE customer SET ${SEARCH_TEXT_COLUMNS.map((c: string) => `${c} = NULL`).join(", ")} WHERE id = $1`, [id])
    expect(await build(dataSource)).toEqual([])
    const { rows } = await pg.query("SELECT search_name, search_last_name FROM customer WHERE id = $1", [id])
    expect(rows).toEqual([{ search_name: "bulk ladt", search_last_name: "ladt" }])
  })
})
