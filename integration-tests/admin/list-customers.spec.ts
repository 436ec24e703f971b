import { addToGroup, seedCustomer, seedGroup } from "../factories/customer"
import { adminClient, closeDb, db, raw, resetCustomers } from "../setup/context"
import { CUSTOMER_KEYS, sortedKeys } from "../setup/expectations"

const list = (query?: Record<string, unknown>) => adminClient().admin.customers.list(query as never)
const ids = (customers: { id: string }[]) => customers.map((c) => c.id)

describe("GET /admin/customers (medusa.admin.customers.list)", () => {
  let seeded: string[] // oldest first

  beforeEach(async () => {
    await resetCustomers()
    seeded = []
    for (let i = 0; i < 5; i++) seeded.push(await seedCustomer({ has_account: i % 2 === 0 }))
  })
  afterAll(closeDb)

  it("lists with core's envelope and defaults, newest first", async () => {
    const { response, ...body } = await list()
    const { customers, count, offset, limit } = body
    expect(response.status).toBe(200)
    expect(sortedKeys(body)).toEqual(["count", "customers", "limit", "offset"])
    expect([count, offset, limit]).toEqual([5, 0, 50])
    expect(ids(customers)).toEqual([...seeded].reverse())
    for (const customer of customers) expect(sortedKeys(customer)).toEqual(CUSTOMER_KEYS)
  })

  it("breaks created_at ties by id, so offset pages are stable", async () => {
    await resetCustomers()
    const same = new Date("2025-05-05T05:05:05.000Z")
    const tied: string[] = []
    for (let i = 0; i < 6; i++) tied.push(await seedCustomer({ created_at: same }))
    const pages = [await list({ limit: 2, offset: 0 }), await list({ limit: 2, offset: 2 }), await list({ limit: 2, offset: 4 })]
    expect(pages.flatMap((p) => ids(p.customers))).toEqual([...tied].sort().reverse())
  })

  it("works with the documented examples: expand billing_address, with limit and offset", async () => {
    const expanded = await list({ expand: "billing_address" })
    expect(expanded.customers).toHaveLength(5)
    for (const customer of expanded.customers) {
      expect(sortedKeys(customer)).toEqual([...CUSTOMER_KEYS, "billing_address"].sort())
      expect(customer.billing_address).toBeNull()
    }
    const page = await list({ expand: "billing_address", limit: 2, offset: 1 })
    expect([page.count, page.offset, page.limit]).toEqual([5, 1, 2])
    expect(ids(page.customers)).toEqual([seeded[3], seeded[2]])
  })

  it("serves the Medusa Admin's table query (expand=orders,groups,billing_address&limit=15)", async () => {
    const group = await seedGroup("VIP")
    await addToGroup(group, seeded[0])
    const { customers, count, limit } = await list({ expand: "orders,groups,billing_address", offset: 0, limit: 15 })
    expect([count, limit]).toEqual([5, 15])
    const oldest = customers.find((c) => c.id === seeded[0])!
    expect(oldest.orders).toEqual([])
    expect(oldest.groups.map((g: { id: string }) => g.id)).toEqual([group])
    expect(customers.find((c) => c.id === seeded[1])!.groups).toEqual([])
  })

  it("orders by an allowed column, ascending or descending", async () => {
    expect(ids((await list({ order: "created_at" })).customers)).toEqual(seeded)
    expect(ids((await list({ order: "-email" })).customers)).toEqual([...seeded].reverse())
    const accounts = await list({ order: "has_account", limit: 5 })
    expect(accounts.customers.map((c) => c.has_account)).toEqual([false, false, true, true, true])
  })

  it("honours fields (id always included) instead of ignoring them", async () => {
    const { customers } = await list({ fields: "email,first_name" })
    expect(customers).toHaveLength(5)
    for (const customer of customers) expect(sortedKeys(customer)).toEqual(["email", "first_name", "id"])
  })

  it("filters by has_account, email (case-insensitive) and created_at ranges", async () => {
    expect((await list({ has_account: true })).count).toBe(3)
    expect((await list({ has_account: false })).count).toBe(2)
    const all = await list()
    const target = all.customers[2]
    const exact = await list({ email: target.email.toUpperCase() } as never)
    expect(ids(exact.customers)).toEqual([target.id])
    const from = all.customers[3].created_at
    const to = all.customers[1].created_at
    const range = await list({ created_at: { gte: from, lte: to } })
    expect(ids(range.customers)).toEqual([all.customers[1].id, all.customers[2].id, all.customers[3].id])
    const after = await list({ created_at: { gt: all.customers[1].created_at } })
    expect(ids(after.customers)).toEqual([all.customers[0].id])
  })

  it("filters by groups[] (any of) and counts exactly", async () => {
    const a = await seedGroup("A")
    const b = await seedGroup("B")
    await addToGroup(a, seeded[0])
    await addToGroup(a, seeded[1])
    await addToGroup(b, seeded[1])
    await addToGroup(b, seeded[4])
    const both = await list({ groups: [a, b] })
    expect(both.count).toBe(3)
    expect(ids(both.customers)).toEqual([seeded[4], seeded[1], seeded[0]])
    const onlyB = await list({ groups: [b], expand: "groups" })
    expect(ids(onlyB.customers)).toEqual([seeded[4], seeded[1]])
    // the filter does not trim the expanded groups
    expect(onlyB.customers[1].groups.map((g: { id: string }) => g.id).sort()).toEqual([a, b].sort())
    // a soft-deleted member is neither listed nor counted
    await (await db()).query("UPDATE customer SET deleted_at = now() WHERE id = $1", [seeded[1]])
    const live = await list({ groups: [a, b] })
    expect([live.count, ...ids(live.customers)]).toEqual([2, seeded[4], seeded[0]])
    const liveB = await list({ groups: [b] })
    expect([liveB.count, ...ids(liveB.customers)]).toEqual([1, seeded[4]])
  })

  it("searches email, first and last name with q, case-insensitively", async () => {
    await resetCustomers()
    const caterina = await seedCustomer({ email: "caterina@shop.io", first_name: "Caterina", last_name: "Yost" })
    const dolly = await seedCustomer({ email: "dolly@yost.example", first_name: "Dolly", last_name: "Parton" })
    await seedCustomer({ email: "nobody@example.com", first_name: "No", last_name: "Body" })
    const res = await list({ q: "YOST" })
    expect(res.count).toBe(2)
    // a last name starting with the term ranks before an email containing it
    expect(ids(res.customers)).toEqual([caterina, dolly])
    expect(ids((await list({ q: "caterina" })).customers)).toEqual([caterina])
  })

  it("treats % and _ in q literally", async () => {
    await resetCustomers()
    const percent = await seedCustomer({ email: "100%off@example.com" })
    const underscore = await seedCustomer({ email: "first_last@example.com" })
    await seedCustomer({ email: "firstxlast@example.com" })
    expect((await list({ q: "%" })).count).toBe(1)
    expect(ids((await list({ q: "%" })).customers)).toEqual([percent])
    expect(ids((await list({ q: "t_l" })).customers)).toEqual([underscore])
    expect((await list({ q: "\\" })).count).toBe(0)
    // what unaccent turns into _ and % (fullwidth ＿ ％) is literal too: escaped after normalising
    expect(ids((await list({ q: "t＿l" })).customers)).toEqual([underscore])
    expect((await list({ q: "t％l" })).count).toBe(0)
  })

  it("combines q with filters", async () => {
    await resetCustomers()
    const withAccount = await seedCustomer({ last_name: "Yost", has_account: true })
    await seedCustomer({ last_name: "Yost", has_account: false })
    const res = await list({ q: "yost", has_account: true })
    expect([res.count, ...ids(res.customers)]).toEqual([1, withAccount])
  })

  it.each([
    ["limit=0", "limit must not be less than 1"],
    ["limit=-1", "limit must not be less than 1"],
    ["limit=1001", "limit must not be greater than 1000"],
    ["limit=abc", "limit must be an integer"],
    ["limit=1.5", "limit must be an integer"],
    ["limit=NaN", "limit must be an integer"],
    ["offset=-1", "offset must not be less than 0"],
    ["offset=x", "offset must be an integer"],
    ["order=password_hash", "order must be one of: id, -id, email, -email, first_name, -first_name, last_name, -last_name, phone, -phone, has_account, -has_account, created_at, -created_at, updated_at, -updated_at"],
    ["expand=password", "Relations [password] are not valid; allowed: billing_address, shipping_addresses, groups, orders"],
    ["expand=orders,items.variant", "Relations [items.variant] are not valid; allowed: billing_address, shipping_addresses, groups, orders"],
    ["fields=password_hash", "Fields [password_hash] are not valid; allowed: id, email, first_name, last_name, billing_address_id, phone, has_account, created_at, updated_at, deleted_at, metadata"],
    ["has_account=yes", "has_account must be true or false"],
    ["has_account=1", "has_account must be true or false"],
    ["created_at[gt]=yesterday", "created_at and updated_at operators must be valid dates"],
    ["updated_at[lt]=2024-13-45", "created_at and updated_at operators must be valid dates"],
    ["created_at[eq]=2024-01-01", "property eq should not exist"],
    ["created_at=2024-01-01", "nested property created_at must be either object or array"],
    ["q[]=a&q[]=b", "q must be a string"],
    ["unknown=1", "property unknown should not exist"],
  ])("refuses %s with 400 invalid_data", async (query, message) => {
    const res = await raw("GET", `/admin/customers?${query}`)
    expect(res.status).toBe(400)
    expect(res.contentType).toMatch(/^application\/json/)
    expect(JSON.parse(res.text)).toEqual({ type: "invalid_data", message })
  })
})
