import Medusa from "@medusajs/medusa-js"
import { seedCustomer, seedGroup } from "../factories/customer"
import { adminClient, closeDb, db, failure, resetCustomers, testEnv } from "../setup/context"

type Entry = {
  id: string
  customer_id: string
  action: "created" | "updated"
  actor: { type: string; id: string | null }
  changes: Record<string, unknown>
  groups: { added: string[]; removed: string[] } | null
  request_id: string
  created_at: string
}
type Page = { history: Entry[]; count: number; offset: number; limit: number }

const history = async (id: string, query = "", medusa = adminClient()): Promise<Page> => {
  const { response: _response, ...page } = await medusa.admin.custom.get<Page & { response: unknown }>(`/admin/customers/${id}/history${query}`)
  return page
}

async function adminUserId(): Promise<string> {
  const { rows } = await (await db()).query(`SELECT id FROM "user" WHERE email = $1`, [testEnv().email])
  return rows[0].id
}

describe("GET /admin/customers/:id/history", () => {
  beforeEach(resetCustomers)
  afterAll(closeDb)

  it("records an admin's create and update: the admin as actor, the request's x-request-id, only what changed, newest first", async () => {
    const userId = await adminUserId()
    const medusa = adminClient({ customHeaders: { "x-request-id": "req-create-1" } })
    const { customer } = await medusa.admin.customers.create({
      email: "Hist@Example.com",
      first_name: "Caterina",
      last_name: "Yost",
      password: "supersecret",
    })
    const group = await seedGroup("VIP")
    await adminClient().admin.customers.update(customer.id, { first_name: "Dolly", metadata: { tier: "gold" }, groups: [{ id: group }] })

    const page = await history(customer.id)
    expect(page.count).toBe(2)
    expect([page.offset, page.limit]).toEqual([0, 20])
    const [updated, created] = page.history
    expect(created).toEqual({
      id: expect.stringMatching(/^cuhist_[0-9A-Z]{26}$/),
      customer_id: customer.id,
      action: "created",
      actor: { type: "user", id: userId },
      changes: {
        email: { from: null, to: "hist@example.com" },
        first_name: { from: null, to: "Caterina" },
        last_name: { from: null, to: "Yost" },
        has_account: { from: null, to: true },
        password: { changed: true },
      },
      groups: null,
      request_id: "req-create-1",
      created_at: expect.any(String),
    })
    expect(updated.action).toBe("updated")
    expect(updated.actor).toEqual({ type: "user", id: userId })
    expect(updated.changes).toEqual({ first_name: { from: "Caterina", to: "Dolly" }, "metadata.tier": { from: null, to: "gold" } })
    expect(updated.groups).toEqual({ added: [group], removed: [] })
    // no x-request-id: one is generated
    expect(updated.request_id).toMatch(/^[0-9a-f-]{36}$/)
    expect(Date.parse(updated.created_at)).toBeGreaterThan(Date.parse(created.created_at))
  })

  it("records a storefront sign-up (system) and the customer's own /store/customers/me update (actor: the customer)", async () => {
    const store = new Medusa({ baseUrl: testEnv().baseUrl, maxRetries: 0 })
    const { customer } = await store.customers.create({ email: "shopper@example.com", first_name: "Sho", last_name: "Pper", password: "supersecret" })
    const { access_token } = await store.auth.getToken({ email: "shopper@example.com", password: "supersecret" })
    const signedIn = new Medusa({ baseUrl: testEnv().baseUrl, maxRetries: 0, customHeaders: { Authorization: `Bearer ${access_token}` } })
    await signedIn.customers.update({ last_name: "Shopper", password: "new-secret-2" })

    const { history: entries, count } = await history(customer.id)
    expect(count).toBe(2)
    expect(entries.map((e) => [e.action, e.actor])).toEqual([
      ["updated", { type: "customer", id: customer.id }],
      ["created", { type: "system", id: null }],
    ])
    expect(entries[0].changes).toEqual({ last_name: { from: "Pper", to: "Shopper" }, password: { changed: true } })
    // never a password or its hash
    expect(JSON.stringify(entries)).not.toMatch(/secret|scrypt|password_hash/)
  })

  it("leaves 50 entries for 50 concurrent updates of one customer, each one's from the previous one's to", async () => {
    const id = await seedCustomer({ first_name: "v-start" })
    const medusa = adminClient()
    await Promise.all(Array.from({ length: 50 }, (_, i) => medusa.admin.customers.update(id, { first_name: `v${i}` })))
    const { history: entries, count } = await history(id, "?limit=100")
    expect(count).toBe(50)
    const chain = entries.reverse().map((e) => e.changes.first_name as { from: string; to: string })
    expect(chain[0].from).toBe("v-start")
    for (let i = 1; i < chain.length; i++) expect(chain[i].from).toBe(chain[i - 1].to)
    expect(new Set(chain.map((c) => c.to)).size).toBe(50)
    const { rows } = await (await db()).query("SELECT first_name FROM customer WHERE id = $1", [id])
    expect(chain[49].to).toBe(rows[0].first_name)
  })

  it("pages with limit and offset, newest first", async () => {
    const id = await seedCustomer()
    const medusa = adminClient()
    for (const name of ["a", "b", "c"]) await medusa.admin.customers.update(id, { first_name: name })
    const page = await history(id, "?limit=2&offset=1")
    expect([page.count, page.offset, page.limit]).toEqual([3, 1, 2])
    expect(page.history.map((e) => (e.changes.first_name as { to: string }).to)).toEqual(["b", "a"])
  })

  it("answers 404 for an unknown customer and 400 for a bad limit or offset", async () => {
    const medusa = adminClient()
    expect(await failure(history("cus_unknown"))).toEqual({
      status: 404,
      body: { type: "not_found", message: "Customer with id: cus_unknown was not found" },
    })
    const id = await seedCustomer()
    for (const [query, message] of [
      ["?limit=0", "limit must not be less than 1"],
      ["?limit=101", "limit must not be greater than 100"],
      ["?limit=ten", "limit must be an integer"],
      ["?offset=-1", "offset must not be less than 0"],
    ]) {
      expect([query, await failure(history(id, query, medusa))]).toEqual([query, { status: 400, body: { type: "invalid_data", message } }])
    }
  })
})
