import fs from "fs"
import path from "path"
import { Client } from "pg"
import { recordedEvents, storeExtensionsEnv } from "../setup/context"

/* The fault test owns its PostgreSQL (so it can stop and start it) and its store. */
const { controlledCluster } = require("../../scripts/lib/cluster-process")
const { FAULT_CLUSTER } = require("../../scripts/lib/database")
const { migrate, boot, stopChild, freshRedisUrl } = require("../../scripts/lib/store")
const { STATE_DIR } = require("../../scripts/lib/env")

const CLIENTS = 20
const LOG_FILE = path.join(STATE_DIR, "fault-server.log")
const EVENTS_FILE = path.join(STATE_DIR, "fault-events.jsonl")

type Sample = { sentAt: number; answeredAt: number; status: number }
type Db = { url: string; stop: () => Promise<void>; start: () => Promise<void>; close: () => Promise<void> }
type Store = { child: import("child_process").ChildProcess; apiToken: string; port: number }

describe("PostgreSQL restarted under 20 concurrent clients", () => {
  let db: Db
  let store: Store
  let baseUrl: string

  beforeAll(async () => {
    db = await controlledCluster({ database: "faults" })
    await migrate(db.url, { quiet: true })
    const fd = fs.openSync(LOG_FILE, "w")
    const env = {
      ...storeExtensionsEnv(EVENTS_FILE),
      ...(process.env.REDIS_URL ? { REDIS_URL: await freshRedisUrl(process.env.REDIS_URL, 2) } : {}),
    }
    store = await boot({ databaseUrl: db.url, port: FAULT_CLUSTER.port + 1, stdio: fd, env })
    fs.closeSync(fd)
    baseUrl = `http://127.0.0.1:${store.port}`
  }, 180000)

  afterAll(async () => {
    await stopChild(store?.child)
    await db?.close()
  })

  it("answers 5xx only while it is down, none from 5 s after it is back, and keeps every acknowledged write", async () => {
    const headers = { "x-medusa-access-token": store.apiToken, "content-type": "application/json" }
    const samples: Sample[] = []
    const acknowledged = new Map<string, { id: string; value: number }>() // client → its customer and last acknowledged value
    const created: string[] = []
    let running = true

    async function request(method: string, urlPath: string, body: unknown): Promise<{ status: number; json?: any }> {
      const sentAt = Date.now()
      try {
        const res = await fetch(`${baseUrl}${urlPath}`, { method, headers, body: JSON.stringify(body), signal: AbortSignal.timeout(15000) })
        const json = res.headers.get("content-type")?.includes("json") ? await res.json() : undefined
        samples.push({ sentAt, answeredAt: Date.now(), status: res.status })
        return { status: res.status, json }
      } catch {
        samples.push({ sentAt, answeredAt: Date.now(), status: 599 }) // no response at all
        return { status: 599 }
      }
    }

    async function client(n: number) {
      let customerId: string | undefined
      for (let i = 0; running; i++) {
        if (!customerId) {
          const res = await request("POST", "/admin/customers", {
            email: `client${n}-${i}@faults.example`,
            first_name: "Fault",
            last_name: `Client${n}`,
            password: "supersecret",
          })
          if (res.status === 201) {
            customerId = res.json.customer.id
            created.push(customerId!)
          }
        } else {
          const res = await request("POST", `/admin/customers/${customerId}`, { metadata: { counter: i } })
          if (res.status === 200) acknowledged.set(`c${n}`, { id: customerId, value: i })
        }
        await new Promise((r) => setTimeout(r, 20))
      }
    }

    const clients = Array.from({ length: CLIENTS }, (_, n) => client(n))
    await new Promise((r) => setTimeout(r, 3000))
    const downAt = Date.now()
    await db.stop()
    // longer than one poll of Medusa's staged-event enqueuer (3 s), which must survive it
    await new Promise((r) => setTimeout(r, 4500))
    await db.start()
    const upAt = Date.now()
    await new Promise((r) => setTimeout(r, 10000))
    running = false
    await Promise.all(clients)

    const failures = samples.filter((s) => s.status >= 500)
    // in flight when the database went away counts as "while it is down"
    const before = samples.filter((s) => s.answeredAt < downAt)
    const settled = samples.filter((s) => s.sentAt >= upAt + 5000)
    process.stdout.write(
      `[faults] ${samples.length} requests; ${failures.length} 5xx/no-response, answered from ${Math.min(...failures.map((f) => f.answeredAt)) - downAt} ms ` +
        `after the stop, the last sent ${upAt - Math.max(...failures.map((f) => f.sentAt))} ms before the restart; ${settled.length} requests from 5 s after it, ` +
        `${created.length} creates and ${acknowledged.size} customers' updates acknowledged\n`
    )
    expect(before.filter((s) => s.status >= 500)).toEqual([])
    expect(settled.length).toBeGreaterThan(100)
    expect(settled.filter((s) => s.status >= 500)).toEqual([])
    expect(created.length).toBeGreaterThanOrEqual(CLIENTS)

    const pg = new Client({ connectionString: db.url })
    await pg.connect()
    try {
      const rows = (await pg.query("SELECT id, metadata FROM customer WHERE id = ANY($1)", [created])).rows
      expect(rows.map((r) => r.id).sort()).toEqual([...created].sort())
      const byId = new Map(rows.map((r) => [r.id, r.metadata]))
      for (const { id, value } of acknowledged.values()) {
        // a later update may have committed without its response arriving: never less than acknowledged
        expect(byId.get(id)?.counter ?? -1).toBeGreaterThanOrEqual(value)
      }
      const { rows: all } = await pg.query("SELECT id FROM customer WHERE email LIKE '%@faults.example'")
      // a create may commit while its response is lost in the outage, never more than the requests that failed
      expect(all.length - created.length).toBeLessThanOrEqual(failures.length)
      // exactly one customer.created per committed row, none for the rolled-back ones
      await new Promise((r) => setTimeout(r, 4000))
      const events = recordedEvents(EVENTS_FILE)
        .filter((e) => e.event === "customer.created")
        .map((e) => e.id)
      expect(events.sort()).toEqual(all.map((r) => r.id).sort())
    } finally {
      await pg.end()
    }
    const health = await fetch(`${baseUrl}/health`)
    expect(health.status).toBe(200)
    expect(store.child.exitCode).toBeNull()
    expect(fs.readFileSync(LOG_FILE, "utf8")).not.toMatch(/Unhandled|UnhandledPromiseRejection/)
  }, 180000)
})
