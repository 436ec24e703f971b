import { addToGroup, seedCustomer, seedGroup } from "../factories/customer"
import { adminClient, closeDb, db, failure, raw, resetCustomers } from "../setup/context"
import { CUSTOMER_KEYS, sortedKeys } from "../setup/expectations"

describe("GET /admin/customers/:id (medusa.admin.customers.retrieve)", () => {
  beforeEach(resetCustomers)
  afterAll(closeDb)

  it("returns the customer with orders and shipping_addresses by default, never password_hash", async () => {
    const medusa = adminClient()
    const created = await medusa.admin.customers.create({
      email: "user@example.com",
      first_name: "Caterina",
      last_name: "Yost",
      password: "supersecret",
    })
    const { response, ...body } = await medusa.admin.customers.retrieve(created.customer.id)
    const { customer } = body
    expect(response.status).toBe(200)
    expect(sortedKeys(body)).toEqual(["customer"])
    expect(sortedKeys(customer)).toEqual([...CUSTOMER_KEYS, "orders", "shipping_addresses"].sort())
    expect(customer).toEqual({ ...created.customer, orders: [], shipping_addresses: [] })
    expect(JSON.stringify(body)).not.toContain("password_hash")
  })

  it("returns shipping addresses and honours expand and fields", async () => {
    const id = await seedCustomer({ first_name: "Ada", last_name: "Lovelace" })
    const group = await seedGroup("Wholesale")
    await addToGroup(group, id)
    await (await db()).query(
      "INSERT INTO address (id, customer_id, first_name, city, country_code) VALUES ('addr_test1', $1, 'Ada', 'London', 'gb')",
      [id]
    )
    const medusa = adminClient()
    const full = await medusa.admin.customers.retrieve(id)
    expect(full.customer.shipping_addresses.map((a) => [a.id, a.city])).toEqual([
      ["addr_test1", "London"],
    ])

    const expanded = await raw("GET", `/admin/customers/${id}?expand=groups`)
    const body = JSON.parse(expanded.text)
    expect(sortedKeys(body.customer)).toEqual([...CUSTOMER_KEYS, "groups"].sort())
    expect(body.customer.groups.map((g: { name: string }) => g.name)).toEqual(["Wholesale"])

    const narrow = JSON.parse((await raw("GET", `/admin/customers/${id}?fields=first_name,last_name&expand=groups`)).text)
    expect(sortedKeys(narrow.customer)).toEqual(["first_name", "groups", "id", "last_name"])
    expect([narrow.customer.first_name, narrow.customer.last_name]).toEqual(["Ada", "Lovelace"])
  })

  it("answers 404 not_found for an unknown id", async () => {
    const res = await failure(adminClient().admin.customers.retrieve("cus_does_not_exist"))
    expect(res).toEqual({ status: 404, body: { type: "not_found", message: "Customer with id: cus_does_not_exist was not found" } })
  })

  it.each([
    ["expand=password_hash", "Relations [password_hash] are not valid; allowed: billing_address, shipping_addresses, groups, orders"],
    ["fields=password_hash", "Fields [password_hash] are not valid; allowed: id, email, first_name, last_name, billing_address_id, phone, has_account, created_at, updated_at, deleted_at, metadata"],
    ["limit=5", "property limit should not exist"],
  ])("refuses %s with 400", async (query, message) => {
    const id = await seedCustomer()
    const res = await raw("GET", `/admin/customers/${id}?${query}`)
    expect([res.status, JSON.parse(res.text)]).toEqual([400, { type: "invalid_data", message }])
  })
})
