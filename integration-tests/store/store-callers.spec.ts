import Medusa from "@medusajs/medusa-js"
import fs from "fs"
import path from "path"
import { Client } from "pg"
import { failure } from "../setup/context"
import { FakeCrm } from "./fake-crm"

/*
 * Every caller of customerService, on a real store that also extends core's
 * Customer (integration-tests/fixtures/extended-store, compiled here, on its own
 * database): core's storefront routes through medusa-js, a social login's
 * create through the store's container, the extension column written
 * through the service and the admin route, and the store's own hook handlers
 * (the fixture's src/loaders, docs/extending.md's examples: disposable emails
 * refused, each new customer pushed to a CRM, here a local fake one).
 */
const { ROOT, STATE_DIR } = require("../../scripts/lib/env")
const { provideDatabase, TEST_CLUSTER } = require("../../scripts/lib/database")
const { migrate, boot, stopChild, run, freePort } = require("../../scripts/lib/store")

const FIXTURE = path.join(ROOT, "integration-tests", "fixtures", "extended-store")
const LOG_FILE = path.join(STATE_DIR, "extended-store.log")

let store: { child: import("child_process").ChildProcess; apiToken: string; port: number } | undefined
let pg: Client
let baseUrl: string
const crm = new FakeCrm()

const storefront = () => new Medusa({ baseUrl, maxRetries: 0 })
const admin = () => new Medusa({ baseUrl, maxRetries: 3, apiKey: store!.apiToken })

/** Calls the store's customerService in-process (the fixture's POST /test/customers). */
async function service(method: string, ...args: unknown[]): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/test/customers`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ method, args }),
  })
  return { status: res.status, body: await res.json() }
}

/** The session cookie a storefront login set, for the requests that follow it. */
function sessionCookie(response: { headers: Record<string, unknown> }): string {
  const cookies = response.headers["set-cookie"] as string[]
  return cookies.map((c) => c.split(";")[0]).find((c) => c.startsWith("connect.sid=")) as string
}

/** Waits for the store's subscriber to receive a customer.password_reset event for `email` (delivered after commit). */
async function passwordResetEvent(email: string): Promise<{ id: string; email: string; token: string }> {
  for (let attempt = 0; attempt < 150; attempt++) {
    const res = await fetch(`${baseUrl}/test/password-resets?email=${encodeURIComponent(email)}`)
    const { events } = (await res.json()) as { events: { id: string; email: string; token: string }[] }
    if (events.length) return events[events.length - 1]
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  throw new Error(`no customer.password_reset event for ${email} reached the store's subscriber`)
}

beforeAll(async () => {
  fs.rmSync(path.join(FIXTURE, "dist"), { recursive: true, force: true })
  // the plugin as a store has it installed, for the loaders' require("medusa-plugin-customers")
  const installed = path.join(FIXTURE, "node_modules", "medusa-plugin-customers")
  fs.mkdirSync(path.dirname(installed), { recursive: true })
  fs.rmSync(installed, { force: true })
  fs.symlinkSync(ROOT, installed, "dir")
  const crmUrl = await crm.start()
  await run(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", path.join(FIXTURE, "tsconfig.json")], { quiet: true })
  const db = await provideDatabase({ database: "extended_store", fresh: true, cluster: TEST_CLUSTER, log: () => undefined })
  await migrate(db.url, { directory: FIXTURE, quiet: true })
  const logFd = fs.openSync(LOG_FILE, "w")
  store = await boot({ databaseUrl: db.url, port: await freePort(), stdio: logFd, env: { MEDUSA_DIRECTORY: FIXTURE, CRM_URL: crmUrl } })
  fs.closeSync(logFd)
  baseUrl = `http://127.0.0.1:${store!.port}`
  pg = new Client({ connectionString: db.url })
  await pg.connect()
}, 300000)

afterAll(async () => {
  await pg?.end()
  await stopChild(store?.child)
  await crm.stop()
})

describe("core's storefront routes through medusa-js", () => {
  const email = "shopper@example.com"

  it("registers, logs in, updates /store/customers/me with a billing address, and resets the password", async () => {
    const medusa = storefront()
    const registered = await medusa.customers.create({ email: "Shopper@Example.com", first_name: "Shop", last_name: "Per", password: "first-secret" })
    expect(registered.response.status).toBe(200)
    expect([registered.customer.email, registered.customer.has_account]).toEqual([email, true])
    expect(registered.customer).not.toHaveProperty("password_hash")

    const login = await medusa.auth.authenticate({ email, password: "first-secret" })
    expect([login.response.status, login.customer.id]).toEqual([200, registered.customer.id])
    const cookie = { Cookie: sessionCookie(login.response as never) }

    const billing = { first_name: "Shop", last_name: "Per", address_1: "1 Main St", city: "Copenhagen", country_code: "DK", postal_code: "1000" }
    const updated = await medusa.customers.update({ first_name: "Shoppy", billing_address: billing }, cookie)
    expect(updated.customer.first_name).toBe("Shoppy")
    const { rows: addresses } = await pg.query(
      `SELECT a.address_1, a.city, a.country_code FROM customer c JOIN address a ON a.id = c.billing_address_id WHERE c.id = $1`,
      [registered.customer.id]
    )
    expect(addresses).toEqual([{ address_1: "1 Main St", city: "Copenhagen", country_code: "dk" }])
    expect(updated.customer.billing_address_id).toBe(
      (await pg.query("SELECT billing_address_id FROM customer WHERE id = $1", [registered.customer.id])).rows[0].billing_address_id
    )

    const requested = await medusa.customers.generatePasswordToken({ email })
    expect(requested.response.status).toBe(204)
    const event = await passwordResetEvent(email)
    expect([event.id, event.email]).toEqual([registered.customer.id, email])

    const reset = await medusa.customers.resetPassword({ email, password: "second-secret", token: event.token })
    expect([reset.response.status, reset.customer.id]).toEqual([200, registered.customer.id])
    expect((await medusa.auth.authenticate({ email, password: "second-secret" })).customer.id).toBe(registered.customer.id)
    expect((await failure(medusa.auth.authenticate({ email, password: "first-secret" }))).status).toBe(401)
  })

  it("refuses a second sign-up for the same email in any case with core's 422", async () => {
    await storefront().customers.create({ email: "twice@example.com", first_name: "a", last_name: "b", password: "x" })
    const again = await failure(storefront().customers.create({ email: "TWICE@example.com", first_name: "a", last_name: "b", password: "x" }))
    expect([again.status, again.body.message]).toEqual([422, "A customer with the given email already has an account. Log in instead"])
  })
})

describe("a social login's create (medusa-plugin-auth's shape) through the store's customerService", () => {
  it("creates an account without a password that retrieveRegisteredByEmail then finds; a second create is a 422", async () => {
    const input = { email: "Social@Example.com", first_name: "Soc", last_name: "Ial", has_account: true }
    const created = await service("create", input)
    expect(created.status).toBe(200)
    expect([created.body.result.email, created.body.result.has_account]).toEqual(["social@example.com", true])

    const found = await service("retrieveRegisteredByEmail", "social@example.com")
    expect([found.status, found.body.result.id, found.body.result.has_account]).toEqual([200, created.body.result.id, true])

    const again = await service("create", input)
    expect([again.status, again.body.message]).toEqual([422, "A customer with the given email already has an account. Log in instead"])
    const { rows } = await pg.query("SELECT has_account, password_hash FROM customer WHERE email = 'social@example.com'")
    expect(rows).toEqual([{ has_account: true, password_hash: null }])
  })

  // core refuses this one ("Guest customer with email already exists": its check looks at the password),
  // so a shopper who once checked out as a guest could never sign in with a social login
  it("creates the account beside an earlier guest checkout with the same email, which stays a guest", async () => {
    const guest = await service("create", { email: "checkout@example.com", first_name: "G", last_name: "Uest" })
    expect([guest.status, guest.body.result.has_account]).toEqual([200, false])
    const account = await service("create", { email: "Checkout@Example.com", first_name: "G", last_name: "Uest", has_account: true })
    expect([account.status, account.body.result.has_account]).toEqual([200, true])

    const found = await service("retrieveRegisteredByEmail", "checkout@example.com")
    expect([found.status, found.body.result.id]).toEqual([200, account.body.result.id])
    const { rows } = await pg.query("SELECT id, has_account FROM customer WHERE email = 'checkout@example.com' ORDER BY has_account")
    expect(rows).toEqual([
      { id: guest.body.result.id, has_account: false },
      { id: account.body.result.id, has_account: true },
    ])
  })
})

describe("a store that extends Customer with a column (entity, repository and migration, the v1 way)", () => {
  async function tierOf(id: string): Promise<string | null> {
    return (await pg.query("SELECT loyalty_tier FROM customer WHERE id = $1", [id])).rows[0].loyalty_tier
  }

  it("writes the extension column through the service's update, in the result and the row", async () => {
    const created = await service("create", { email: "tier@example.com", first_name: "T", last_name: "Ier" })
    const id = created.body.result.id
    const updated = await service("update", id, { loyalty_tier: "gold", first_name: "Tia" })
    expect(updated.status).toBe(200)
    expect([updated.body.result.loyalty_tier, updated.body.result.first_name]).toEqual(["gold", "Tia"])
    expect(await tierOf(id)).toBe("gold")
  })

  it("writes it through POST /admin/customers/:id with the store's extended validator (registerOverriddenValidators)", async () => {
    const { customer } = await admin().admin.customers.create({ email: "admin-tier@example.com", first_name: "A", last_name: "T", password: "pw" })
    const updated = await admin().admin.customers.update(customer.id, { loyalty_tier: "silver", first_name: "Ada" } as never)
    expect([updated.response.status, updated.customer.first_name]).toEqual([200, "Ada"])
    expect((updated.customer as unknown as { loyalty_tier: string }).loyalty_tier).toBe("silver")
    expect(await tierOf(customer.id)).toBe("silver")
  })

  it("refuses a key that is no column of the entity with a clear 400 and writes nothing", async () => {
    const created = await service("create", { email: "unknown@example.com", first_name: "U", last_name: "K" })
    const refused = await service("update", created.body.result.id, { first_name: "Changed", nickname: "x" })
    expect([refused.status, refused.body]).toEqual([
      400,
      { type: "invalid_data", message: "Unknown customer field: nickname (not a column of the Customer entity)" },
    ])
    const { rows } = await pg.query("SELECT first_name FROM customer WHERE id = $1", [created.body.result.id])
    expect(rows).toEqual([{ first_name: "U" }])
  })
})

describe("the store's own hook handlers (the fixture's src/loaders, as docs/extending.md shows them)", () => {
  /** What other connections see committed for `email` and the Idempotency-Key `key`. */
  async function committed(email: string, key: string): Promise<{ customers: number; history: number; keys: number }> {
    const { rows } = await pg.query(
      `SELECT (SELECT count(*)::int FROM customer WHERE email = $1) AS customers,
              (SELECT count(*)::int FROM customer_history h JOIN customer c ON c.id = h.customer_id WHERE c.email = $1) AS history,
              (SELECT count(*)::int FROM customer_idempotency_key WHERE key = $2) AS keys`,
      [email, key]
    )
    return rows[0]
  }

  /** The ids of the customer.created events the store's subscriber received, once `id` is among them or 15 s have passed. */
  async function createdEvents(id: string): Promise<string[]> {
    for (let attempt = 0; attempt < 75; attempt++) {
      const { created } = (await (await fetch(`${baseUrl}/test/customer-events`)).json()) as { created: string[] }
      if (created.includes(id)) return created
      await new Promise((resolve) => setTimeout(resolve, 200))
    }
    throw new Error(`no customer.created event for ${id} reached the store's subscriber`)
  }

  beforeEach(() => crm.reset())

  it("undoes a create whose CRM push fails (500); medusa-js's retry with the same Idempotency-Key creates it once", async () => {
    const email = "crm-retry@example.com"
    const key = "crm-retry-key"
    const seenByCrm: { customers: number; history: number; keys: number }[] = []
    crm.beforeAnswer = async () => {
      seenByCrm.push(await committed(email, key))
    }
    crm.failNext()

    const created = await admin().admin.customers.create(
      { email, first_name: "Cara", last_name: "Crm", password: "pw" },
      { "Idempotency-Key": key }
    )
    expect(created.response.status).toBe(201)
    const id = created.customer.id

    // the first attempt's customer got an id, was pushed, refused, and undone before the retry began
    expect(crm.errors).toEqual([])
    expect(crm.calls.map((call) => call.status)).toEqual([500, 200])
    const undoneId = crm.calls[0].body.id
    expect(undoneId).not.toBe(id)
    expect(crm.calls[1]).toEqual({ status: 200, body: { id, email, name: "Cara Crm" }, idempotencyKey: id })
    expect(seenByCrm).toEqual([
      { customers: 0, history: 0, keys: 0 },
      { customers: 0, history: 0, keys: 0 },
    ])

    expect(await committed(email, key)).toEqual({ customers: 1, history: 1, keys: 1 })
    const { rows: history } = await pg.query("SELECT customer_id, action FROM customer_history WHERE customer_id IN ($1, $2)", [id, undoneId])
    expect(history).toEqual([{ customer_id: id, action: "created" }])
    expect((await pg.query("SELECT count(*)::int AS n FROM customer WHERE id = $1", [undoneId])).rows).toEqual([{ n: 0 }])
    const { rows: keys } = await pg.query("SELECT status FROM customer_idempotency_key WHERE key = $1", [key])
    expect(keys).toEqual([{ status: 201 }])
    const events = await createdEvents(id)
    expect(events.filter((event) => event === id || event === undoneId)).toEqual([id])
  })

  it("refuses a disposable email in the store's validate handler with a 400 and its message, and writes nothing", async () => {
    const before = (await pg.query("SELECT count(*)::int AS n FROM customer_history")).rows[0].n
    const refused = await failure(
      admin().admin.customers.create({ email: "Someone@Mailinator.com", first_name: "Dis", last_name: "Posable", password: "pw" })
    )
    expect([refused.status, refused.body]).toEqual([400, { type: "invalid_data", message: "Disposable email addresses are not accepted" }])
    expect((await pg.query("SELECT count(*)::int AS n FROM customer WHERE email ILIKE '%@mailinator.com'")).rows).toEqual([{ n: 0 }])
    expect((await pg.query("SELECT count(*)::int AS n FROM customer_history")).rows[0].n).toBe(before)
    expect(crm.calls).toEqual([])

    // a guest (no account): its email may change, unless to a disposable one
    const customer = (await service("create", { email: "kept@example.com", first_name: "K", last_name: "Ept" })).body.result
    const update = await failure(admin().admin.customers.update(customer.id, { email: "kept@mailinator.com" }))
    expect([update.status, update.body]).toEqual([400, { type: "invalid_data", message: "Disposable email addresses are not accepted" }])
    const { rows } = await pg.query("SELECT email FROM customer WHERE id = $1", [customer.id])
    expect(rows).toEqual([{ email: "kept@example.com" }])
    expect((await pg.query("SELECT action FROM customer_history WHERE customer_id = $1", [customer.id])).rows).toEqual([{ action: "created" }])
  })
})
