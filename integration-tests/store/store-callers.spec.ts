import Medusa from "@medusajs/medusa-js"
import fs from "fs"
import path from "path"
import { Client } from "pg"
import { failure } from "../setup/context"

/*
 * Every caller of customerService, on a real store that also extends core's
 * Customer (integration-tests/fixtures/extended-store, compiled here, on its own
 * database): core's storefront routes through medusa-js, a social login's
 * create through the store's container, and the extension column written
 * through the service and the admin route.
 */
const { ROOT, STATE_DIR } = require("../../scripts/lib/env")
const { provideDatabase, TEST_CLUSTER } = require("../../scripts/lib/database")
const { migrate, boot, stopChild, run, freePort } = require("../../scripts/lib/store")

const FIXTURE = path.join(ROOT, "integration-tests", "fixtures", "extended-store")
const LOG_FILE = path.join(STATE_DIR, "extended-store.log")

let store: { child: import("child_process").ChildProcess; apiToken: string; port: number } | undefined
let pg: Client
let baseUrl: string

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
  await run(path.join(ROOT, "node_modules", ".bin", "tsc"), ["-p", path.join(FIXTURE, "tsconfig.json")], { quiet: true })
  const db = await provideDatabase({ database: "extended_store", fresh: true, cluster: TEST_CLUSTER, log: () => undefined })
  await migrate(db.url, { directory: FIXTURE, quiet: true })
  const logFd = fs.openSync(LOG_FILE, "w")
  store = await boot({ databaseUrl: db.url, port: await freePort(), stdio: logFd, env: { MEDUSA_DIRECTORY: FIXTURE } })
  fs.closeSync(logFd)
  baseUrl = `http://127.0.0.1:${store!.port}`
  pg = new Client({ connectionString: db.url })
  await pg.connect()
}, 300000)

afterAll(async () => {
  await pg?.end()
  await stopChild(store?.child)
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
