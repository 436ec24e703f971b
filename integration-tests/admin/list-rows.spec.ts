import { addToGroup, seedCustomer, seedGroup } from "../factories/customer"
import { closeDb, db, raw, resetCustomers } from "../setup/context"

/**
 * The list and retrieve build their rows without TypeORM entities
 * (src/queries/customer-rows.ts). For the same `expand` and `fields` each
 * customer in a list, and its retrieve, must serialise to the same bytes as
 * the entity core's retrieve loads through TypeORM (a joined `find` in the
 * test store, fixtures/store-extensions/api/test/customer-entity): same keys in
 * the same order, same value conversion.
 */
describe("GET /admin/customers rows, byte for byte against TypeORM's entities", () => {
  let ids: string[] = []

  /** Many-valued relations carry no order in core: compare them in id order. */
  function normalised(customer: Record<string, unknown>): string {
    const copy = { ...customer }
    for (const [key, value] of Object.entries(copy)) {
      if (Array.isArray(value)) copy[key] = [...value].sort((a, b) => String(a.id).localeCompare(String(b.id)))
    }
    return JSON.stringify(copy)
  }

  async function json(path: string): Promise<any> {
    const res = await raw("GET", path)
    expect(res.status).toBe(200)
    return JSON.parse(res.text)
  }

  beforeAll(async () => {
    await resetCustomers()
    const pg = await db()
    await pg.query(`DELETE FROM "order" WHERE id LIKE 'order_rows%'`)
    await pg.query("INSERT INTO region (id, name, currency_code, tax_rate) VALUES ('reg_rows', 'Rows', 'usd', 0) ON CONFLICT DO NOTHING")
    const rich = await seedCustomer({
      first_name: "Zoë",
      last_name: "Müller-García",
      phone: "+1 (555) 867-5309",
      has_account: true,
      metadata: { nested: { list: [1, "two", null], "key with spaces": true }, n: 1.5 },
    })
    const plain = await seedCustomer({ first_name: "Plain", last_name: "Guest" })
    const moved = await seedCustomer({ first_name: "Moved", last_name: "Away" })
    ids = [rich, plain, moved]
    // microseconds PostgreSQL keeps and a JavaScript Date drops
    await pg.query("UPDATE customer SET created_at = '2024-03-01 10:20:30.123987+00', updated_at = '2024-03-02 00:00:00.000999+00' WHERE id = $1", [rich])
    await pg.query(
      `INSERT INTO address (id, customer_id, first_name, city, country_code, metadata) VALUES
         ('addr_rows_billing', NULL, 'Zoë', 'Zürich', 'ch', '{"floor": 3}'),
         ('addr_rows_ship1', $1, 'Zoë', 'Bern', 'ch', NULL),
         ('addr_rows_ship2', $1, 'Zoë', 'Genève', 'ch', NULL)`,
      [rich]
    )
    await pg.query("INSERT INTO address (id, customer_id, city, country_code, deleted_at) VALUES ('addr_rows_gone', $1, 'Gone', 'ch', now())", [rich])
    await pg.query("UPDATE customer SET billing_address_id = 'addr_rows_billing' WHERE id = $1", [rich])
    // a billing address since deleted: TypeORM's join leaves it out (null), the id stays on the customer
    await pg.query("INSERT INTO address (id, city, country_code, deleted_at) VALUES ('addr_rows_old_billing', 'Old', 'ch', now())")
    await pg.query("UPDATE customer SET billing_address_id = 'addr_rows_old_billing' WHERE id = $1", [moved])
    const vip = await seedGroup("VIP")
    const retired = await seedGroup("Retired")
    await addToGroup(vip, rich)
    await addToGroup(retired, rich)
    await pg.query("UPDATE customer_group SET deleted_at = now() WHERE id = $1", [retired])
    await pg.query(
      `INSERT INTO "order" (id, customer_id, email, region_id, currency_code, metadata, created_at)
       VALUES ('order_rows1', $1, 'zoe@example.com', 'reg_rows', 'usd', '{"gift": true}', '2024-04-01 12:00:00.5+00'),
              ('order_rows2', $1, 'zoe@example.com', 'reg_rows', 'usd', NULL, '2024-05-01 08:00:00+00')`,
      [rich]
    )
  })

  afterAll(async () => {
    const pg = await db()
    await pg.query(`DELETE FROM "order" WHERE id LIKE 'order_rows%'`)
    await resetCustomers()
    await pg.query("DELETE FROM region WHERE id = 'reg_rows'")
    await closeDb()
  })

  it.each([
    ["every relation", "expand=orders,groups,billing_address,shipping_addresses", ""],
    ["the dashboard's relations", "expand=orders,groups,billing_address", ""],
    ["relations in another order", "expand=shipping_addresses,billing_address", ""],
    ["fields with a relation", "expand=groups", "&fields=last_name,metadata,created_at"],
    ["a billing address without its id among the fields", "expand=billing_address", "&fields=email"],
  ])("%s", async (_name, expand, fields) => {
    const listed = await json(`/admin/customers?order=created_at&${expand}${fields}`)
    expect(listed.customers.map((c: { id: string }) => c.id).sort()).toEqual([...ids].sort())
    for (const customer of listed.customers) {
      const retrieved = await json(`/admin/customers/${customer.id}?${expand}${fields}`)
      const entity = normalised((await json(`/test/customer-entity/${customer.id}?${expand}${fields}`)).customer)
      expect([normalised(customer), normalised(retrieved.customer)]).toEqual([entity, entity])
    }
  })

  it("builds the same rows whether the page's statement selected them or a statement of their own did", async () => {
    // the first page selects its rows in its own scan; offset 2 of limit 1 selects ids, then the rows
    const expand = "order=created_at&expand=orders,groups,billing_address"
    const whole = await json(`/admin/customers?${expand}`)
    expect(whole.customers).toHaveLength(3)
    for (const offset of [0, 1, 2]) {
      const one = await json(`/admin/customers?${expand}&limit=1&offset=${offset}`)
      expect([one.count, JSON.stringify(one.customers)]).toEqual([3, JSON.stringify([whole.customers[offset]])])
    }
    for (const offset of [0, 2]) {
      const fields = await json(`/admin/customers?${expand}&fields=email,metadata&limit=1&offset=${offset}`)
      expect(Object.keys(fields.customers[0])).toEqual(["id", "email", "metadata", "orders", "groups", "billing_address"])
      expect(fields.customers[0].email).toBe(whole.customers[offset].email)
    }
  })

  // every public column asked for by name: the rows are then built in JavaScript (customer-rows.ts)
  const ALL_FIELDS = "fields=id,created_at,updated_at,deleted_at,email,first_name,last_name,billing_address_id,phone,has_account,metadata"

  it("writes a page without expand or fields in PostgreSQL, byte for byte the page built in JavaScript", async () => {
    const pg = await db()
    const odd = await seedCustomer({
      email: "odd@example.com",
      first_name: 'Quote " back \\ slash\ttab\u0001\b\f\r\n\u001f\u007f é 😀 \u2028\u2029',
      last_name: "O'Brien",
      metadata: { n: 1.5, big: 1e21, small: 1e-7, text: "x\ny", list: [true, null, { z: "é" }], "": 0 },
    })
    // milliseconds whose binary fractions JavaScript computes inexactly, and a year below 1000
    await pg.query("UPDATE customer SET updated_at = '1999-12-31 23:59:59.999999+00', deleted_at = NULL WHERE id = $1", [odd])
    await pg.query("UPDATE customer SET created_at = '0099-06-01 10:00:00.251+00', updated_at = '2024-02-29 12:00:00.063+00' WHERE id = $1", [ids[1]])
    try {
      // a first page selects its JSON in its own scan; offset 2 of limit 1 skips more rows than it
      // returns (the JSON joined to the ids); offset 3 is past the test store's deepOffset: read from
      // the far end of the order, then reversed
      const queries = ["order=created_at", "order=created_at&q=e", "order=-email&limit=2&offset=1", "order=created_at&limit=1&offset=2", "has_account=false", "order=created_at&limit=2&offset=3"]
      for (const query of queries) {
        const fromSql = await raw("GET", `/admin/customers?${query}`)
        const fromJs = await raw("GET", `/admin/customers?${query}&${ALL_FIELDS}`)
        expect(fromSql.status).toBe(200)
        expect(fromSql.contentType).toBe("application/json; charset=utf-8")
        expect(fromSql.contentType).toBe(fromJs.contentType)
        expect(fromSql.text).toBe(fromJs.text)
      }
      expect(JSON.parse((await raw("GET", "/admin/customers?order=created_at")).text).customers).toHaveLength(4)
      const far = JSON.parse((await raw("GET", "/admin/customers?order=created_at&limit=2&offset=2")).text)
      const all = JSON.parse((await raw("GET", "/admin/customers?order=created_at")).text)
      expect(far.customers.map((c: { id: string }) => c.id)).toEqual(all.customers.slice(2).map((c: { id: string }) => c.id))

      // a year JavaScript writes with six digits: that page is built in JavaScript, the same bytes as ever
      await pg.query("UPDATE customer SET created_at = '10000-01-01 00:00:00+00' WHERE id = $1", [odd])
      const sixDigits = await raw("GET", "/admin/customers?order=created_at")
      expect(sixDigits.text).toContain('"created_at":"+010000-01-01T00:00:00.000Z"')
      expect(sixDigits.text).toBe((await raw("GET", `/admin/customers?order=created_at&${ALL_FIELDS}`)).text)
    } finally {
      await pg.query("DELETE FROM customer WHERE id = $1", [odd])
    }
  })

  it("leaves out soft-deleted addresses and groups, keeps every order with its columns", async () => {
    const listed = await json("/admin/customers?expand=orders,groups,billing_address,shipping_addresses&q=Müller")
    expect(listed.count).toBe(1)
    const [customer] = listed.customers
    expect(customer.shipping_addresses.map((a: { id: string }) => a.id)).toEqual(["addr_rows_ship1", "addr_rows_ship2"])
    expect(customer.groups.map((g: { name: string }) => g.name)).toEqual(["VIP"])
    expect(customer.billing_address).toMatchObject({ id: "addr_rows_billing", city: "Zürich", metadata: { floor: 3 } })
    expect(customer.orders.map((o: { id: string }) => o.id)).toEqual(["order_rows1", "order_rows2"])
    expect(customer.orders[0]).toMatchObject({ object: "order", id: "order_rows1", metadata: { gift: true }, created_at: "2024-04-01T12:00:00.500Z" })
    expect(customer.created_at).toBe("2024-03-01T10:20:30.123Z")

    const moved = await json("/admin/customers?expand=billing_address&q=Moved")
    expect(moved.customers.map((c: { billing_address_id: string; billing_address: unknown }) => [c.billing_address_id, c.billing_address])).toEqual([
      ["addr_rows_old_billing", null],
    ])
  })
  it("gives many-valued relations in id order, whatever order their rows were written in, in a retrieve and a list", async () => {
    const pg = await db()
    const id = await seedCustomer({ first_name: "Ordered" })
    for (const suffix of ["z", "a"]) {
      await pg.query("INSERT INTO address (id, customer_id, city, country_code) VALUES ($1, $2, 'Zug', 'ch')", [`addr_rows_order_${suffix}`, id])
      await pg.query(
        `INSERT INTO "order" (id, customer_id, email, region_id, currency_code) VALUES ($1, $2, 'ordered@example.com', 'reg_rows', 'usd')`,
        [`order_rows_order_${suffix}`, id]
      )
      await pg.query("INSERT INTO customer_group (id, name) VALUES ($1, $1)", [`cgrp_rows_order_${suffix}`])
      await addToGroup(`cgrp_rows_order_${suffix}`, id)
    }
    const expected = [
      ["order_rows_order_a", "order_rows_order_z"],
      ["addr_rows_order_a", "addr_rows_order_z"],
      ["cgrp_rows_order_a", "cgrp_rows_order_z"],
    ]
    const idsOf = (customer: Record<string, { id: string }[]>) => [customer.orders, customer.shipping_addresses, customer.groups].map((rows) => rows.map((row) => row.id))
    const expand = "expand=orders,shipping_addresses,groups"
    expect(idsOf((await json(`/admin/customers/${id}?${expand}`)).customer)).toEqual(expected)
    const listed = (await json(`/admin/customers?q=Ordered&${expand}`)).customers
    expect([listed.length, ...idsOf(listed[0])]).toEqual([1, ...expected])
  })
})
