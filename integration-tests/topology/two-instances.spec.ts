import Medusa from "@medusajs/medusa-js"
import fs from "fs"
import path from "path"
import { recordedEvents, storeExtensionsEnv } from "../setup/context"

/* Production topology: two Medusa instances, one PostgreSQL, one Redis (event bus and cache). */
const { STATE_DIR } = require("../../scripts/lib/env")
const { provideDatabase, TEST_CLUSTER } = require("../../scripts/lib/database")
const { migrate, boot, stopChild, freePort, freshRedisUrl } = require("../../scripts/lib/store")

type Store = { child: import("child_process").ChildProcess; apiToken: string; port: number; events: string }
const CUSTOMERS = 20

/** The ids of the customers whose `event` the store's own subscriber received. */
function handled(store: Store, event: string): string[] {
  return recordedEvents(store.events)
    .filter((e) => e.event === event)
    .map((e) => e.id)
}

describe("two store instances on one database and one Redis", () => {
  const stores: Store[] = []
  let redisUrl: string

  beforeAll(async () => {
    redisUrl = await freshRedisUrl(process.env.REDIS_URL!, 3)
    const db = await provideDatabase({ database: "two_instances", fresh: true, cluster: TEST_CLUSTER, log: () => undefined })
    await migrate(db.url, { quiet: true })
    for (const name of ["a", "b"]) {
      const fd = fs.openSync(path.join(STATE_DIR, `instance-${name}.log`), "w")
      const events = path.join(STATE_DIR, `instance-${name}-events.jsonl`)
      const store = await boot({ databaseUrl: db.url, port: await freePort(), stdio: fd, env: { REDIS_URL: redisUrl, ...storeExtensionsEnv(events) } })
      fs.closeSync(fd)
      stores.push({ ...store, events })
    }
  }, 240000)

  afterAll(async () => {
    await Promise.all(stores.map((s) => stopChild(s.child)))
  })

  it("reads each instance's writes through the other and handles every customer event exactly once", async () => {
    const [a, b] = stores.map((s) => new Medusa({ baseUrl: `http://127.0.0.1:${s.port}`, maxRetries: 3, apiKey: s.apiToken }))
    const ids: string[] = []
    for (let i = 0; i < CUSTOMERS; i++) {
      const { customer } = await a.admin.customers.create({ email: `pair${i}@example.com`, first_name: "Pair", last_name: `N${i}`, password: "supersecret" })
      const seen = await b.admin.customers.retrieve(customer.id)
      expect(seen.customer.email).toBe(`pair${i}@example.com`)
      const updated = await b.admin.customers.update(customer.id, { first_name: `Updated${i}` })
      const back = await a.admin.customers.retrieve(customer.id)
      expect([updated.customer.first_name, back.customer.first_name]).toEqual([`Updated${i}`, `Updated${i}`])
      ids.push(customer.id)
    }
    const listed = await b.admin.customers.list({ q: "pair", limit: 50 } as never)
    expect(listed.count).toBe(CUSTOMERS)

    const all = (event: string) => stores.flatMap((s) => handled(s, event))
    const deadline = Date.now() + 30000
    while ((all("customer.created").length < CUSTOMERS || all("customer.updated").length < CUSTOMERS) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500))
    }
    await new Promise((r) => setTimeout(r, 4000)) // a further poll of both enqueuers: nothing more may arrive
    const created = all("customer.created")
    const updated = all("customer.updated")
    process.stdout.write(
      `[topology] customer.created handled: instance a ${handled(stores[0], "customer.created").length}, b ${handled(stores[1], "customer.created").length}; ` +
        `customer.updated: a ${handled(stores[0], "customer.updated").length}, b ${handled(stores[1], "customer.updated").length}\n`
    )
    expect([...created].sort()).toEqual([...ids].sort())
    expect([...updated].sort()).toEqual([...ids].sort())
  }, 180000)
})
