import { seedCustomer, seedGroup } from "../factories/customer"
import { adminClient, closeDb, db, failure, raw, resetCustomers } from "../setup/context"
import { CUSTOMER_KEYS, sortedKeys } from "../setup/expectations"

const update = (id: string, body: Record<string, unknown>) => adminClient().admin.customers.update(id, body as never)

describe("POST /admin/customers/:id (medusa.admin.customers.update)", () => {
  beforeEach(resetCustomers)
  afterAll(closeDb)

  it("updates with the client's documented example and answers like retrieve", async () => {
    const id = await seedCustomer({ first_name: "Caterina", last_name: "Yost" })
    const { customer, response } = await update(id, { first_name: "Dolly" })
    expect(response.status).toBe(200)
    expect(sortedKeys(customer)).toEqual([...CUSTOMER_KEYS, "orders", "shipping_addresses"].sort())
    expect([customer.id, customer.first_name, customer.last_name]).toEqual([id, "Dolly", "Yost"])
    const { rows } = await (await db()).query("SELECT first_name FROM customer WHERE id = $1", [id])
    expect(rows[0].first_name).toBe("Dolly")
  })

  it("merges metadata and removes keys set to an empty string", async () => {
    const id = await seedCustomer({ metadata: { keep: 1, drop: "x" } })
    const { customer } = await update(id, { metadata: { drop: "", added: { nested: true } } })
    expect(customer.metadata).toEqual({ keep: 1, added: { nested: true } })
  })

  it("trims and lower-cases a new email for a customer without an account", async () => {
    const id = await seedCustomer({ email: "guest@example.com", has_account: false })
    const { customer } = await update(id, { email: "  New.Guest@Example.COM " })
    expect(customer.email).toBe("new.guest@example.com")
  })

  it("accepts the Medusa Admin's edit form: every field, the unchanged email of an account", async () => {
    const id = await seedCustomer({ email: "member@example.com", has_account: true, phone: "555" })
    const { customer } = await update(id, {
      first_name: "Renamed",
      last_name: "Member",
      phone: "+1 555 0100",
      email: "Member@Example.com",
      metadata: {},
    })
    expect([customer.first_name, customer.last_name, customer.phone, customer.email]).toEqual([
      "Renamed",
      "Member",
      "+1 555 0100",
      "member@example.com",
    ])
  })

  it("refuses to change the email of a customer with an account (400) and writes nothing", async () => {
    const id = await seedCustomer({ email: "member@example.com", has_account: true, first_name: "Before" })
    const res = await failure(update(id, { email: "other@example.com", first_name: "After" }))
    expect(res).toEqual({
      status: 400,
      body: { type: "invalid_data", message: "Email cannot be changed when the user has registered their account" },
    })
    const { rows } = await (await db()).query("SELECT email, first_name FROM customer WHERE id = $1", [id])
    expect(rows[0]).toEqual({ email: "member@example.com", first_name: "Before" })
  })

  it("replaces the group set, clears it with [], and answers 404 for an unknown group", async () => {
    const id = await seedCustomer()
    const a = await seedGroup("A")
    const b = await seedGroup("B")
    const groupsOf = async () =>
      (await (await db()).query("SELECT customer_group_id FROM customer_group_customers WHERE customer_id = $1 ORDER BY 1", [id])).rows.map(
        (r: { customer_group_id: string }) => r.customer_group_id
      )
    await update(id, { groups: [{ id: a }, { id: b }] })
    expect(await groupsOf()).toEqual([a, b].sort())
    await update(id, { groups: [{ id: b }] })
    expect(await groupsOf()).toEqual([b])
    const missing = await failure(update(id, { groups: [{ id: a }, { id: "cgrp_nope" }] }))
    expect(missing).toEqual({ status: 404, body: { type: "not_found", message: "Customer group with id: cgrp_nope was not found" } })
    expect(await groupsOf()).toEqual([b])
    await update(id, { groups: [] })
    expect(await groupsOf()).toEqual([])
  })

  it("honours expand and fields on the response", async () => {
    const id = await seedCustomer()
    const res = await raw("POST", `/admin/customers/${id}?fields=first_name&expand=groups`, {
      body: JSON.stringify({ first_name: "Narrow" }),
      headers: { "content-type": "application/json" },
    })
    expect(res.status).toBe(200)
    expect(JSON.parse(res.text)).toEqual({ customer: { id, first_name: "Narrow", groups: [] } })
  })

  it("stores a name with a lone surrogate as U+FFFD, as the driver writes it (the comparison's JSON must not refuse it)", async () => {
    const id = await seedCustomer({ first_name: "Whole" })
    const { customer } = await update(id, { first_name: "Half\ud800" })
    expect(customer.first_name).toBe("Half\ufffd")
    const { rows } = await (await db()).query("SELECT first_name FROM customer WHERE id = $1", [id])
    expect(rows[0].first_name).toBe("Half\ufffd")
  })

  it("keeps answering when a migration adds a column to customer while the store runs (the prepared statements name their columns)", async () => {
    const id = await seedCustomer({ first_name: "Before", last_name: "Migrated" })
    const pg = await db()
    // enough updates and reads that the connections they use have their statements prepared
    for (let i = 0; i < 8; i++) {
      expect((await update(id, { first_name: `Warm${i}` })).customer.first_name).toBe(`Warm${i}`)
      expect((await adminClient().admin.customers.retrieve(id)).customer.first_name).toBe(`Warm${i}`)
    }
    await pg.query("ALTER TABLE customer ADD COLUMN added_while_running text")
    try {
      for (let i = 0; i < 8; i++) {
        const { customer, response } = await update(id, { first_name: `After${i}` })
        expect([response.status, customer.first_name, customer.last_name]).toEqual([200, `After${i}`, "Migrated"])
        expect((await adminClient().admin.customers.retrieve(id)).customer.first_name).toBe(`After${i}`)
      }
    } finally {
      await pg.query("ALTER TABLE customer DROP COLUMN added_while_running")
    }
  })

  it("answers 404 for an unknown customer", async () => {
    const res = await failure(update("cus_missing", { first_name: "X" }))
    expect(res).toEqual({ status: 404, body: { type: "not_found", message: "Customer with id: cus_missing was not found" } })
  })

  it.each([
    ["an invalid email", { email: "nope" }, "email must be an email"],
    ["groups that are not objects", { groups: ["cgrp_1"] }, "each value in nested property groups must be either object or array"],
    ["a group without id", { groups: [{}] }, "id must be a string"],
    ["metadata that is a string", { metadata: "x" }, "metadata must be an object"],
    ["an unknown field", { has_account: false }, "property has_account should not exist"],
  ])("refuses %s with 400 and writes nothing", async (_label, body, message) => {
    const id = await seedCustomer({ email: "same@example.com", first_name: "Same" })
    const pg = await db()
    const state = async () => ({
      row: (await pg.query("SELECT * FROM customer WHERE id = $1", [id])).rows[0],
      groups: (await pg.query("SELECT count(*)::int AS n FROM customer_group_customers WHERE customer_id = $1", [id])).rows[0].n,
      entries: (await pg.query("SELECT count(*)::int AS n FROM customer_history WHERE customer_id = $1", [id])).rows[0].n,
    })
    const before = await state()
    expect([before.row.email, before.row.first_name, before.groups, before.entries]).toEqual(["same@example.com", "Same", 0, 0])
    const res = await failure(update(id, body))
    expect(res).toEqual({ status: 400, body: { type: "invalid_data", message } })
    expect(await state()).toEqual(before)
  })
})
