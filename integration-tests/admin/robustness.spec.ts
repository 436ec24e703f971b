import { seedCustomer } from "../factories/customer"
import { adminClient, closeDb, db, deliveredEvents, raw, resetCustomers, serverLog, testEnv } from "../setup/context"

const json = { "content-type": "application/json" }

describe("bad bodies, events and the process", () => {
  let id: string
  beforeEach(async () => {
    await resetCustomers()
    id = await seedCustomer()
  })
  afterAll(closeDb)

  it.each([
    ["malformed JSON", "{bad", json, 400, "The request body is not valid JSON"],
    ["a JSON array", "[1,2]", json, 400, "The request body must be a JSON object"],
    ["a JSON string", '"text"', json, 400, "The request body is not valid JSON"],
    ["plain text", "hello", { "content-type": "text/plain" }, 400, "The request body must be a JSON object"],
    ["a body over the size limit", JSON.stringify({ first_name: "x".repeat(200_000) }), json, 413, "The request body is too large"],
  ])("answers %s with a JSON error on both POST routes", async (_label, body, headers, status, message) => {
    for (const path of ["/admin/customers", `/admin/customers/${id}`]) {
      const res = await raw("POST", path, { body, headers })
      expect([path, res.status, res.contentType?.split(";")[0], JSON.parse(res.text)]).toEqual([
        path,
        status,
        "application/json",
        { type: "invalid_data", message },
      ])
    }
  })

  it("delivers customer.created and customer.updated to the subscriber without password_hash", async () => {
    const medusa = adminClient()
    const { customer } = await medusa.admin.customers.create({
      email: "events@example.com",
      first_name: "Ev",
      last_name: "Ent",
      password: "supersecret",
    })
    await medusa.admin.customers.update(customer.id, { last_name: "Updated" })
    const keys = ["billing_address_id", "created_at", "deleted_at", "email", "first_name", "has_account", "id", "last_name", "metadata", "phone", "updated_at"]
    const delivered = await deliveredEvents(customer.id, 2)
    expect(delivered.sort((a, b) => a.event.localeCompare(b.event))).toEqual([
      { event: "customer.created", id: customer.id, keys },
      { event: "customer.updated", id: customer.id, keys },
    ])
    const { rows } = await (await db()).query("SELECT password_hash FROM customer WHERE password_hash IS NOT NULL")
    expect(rows).toHaveLength(1)
    const log = serverLog()
    for (const { password_hash } of rows) {
      expect(log).not.toContain(password_hash)
      expect(log).not.toContain(password_hash.slice(0, 24))
    }
  })

  it("survives every bad input above: the same process still answers /health", async () => {
    const res = await fetch(`${testEnv().baseUrl}/health`)
    expect([res.status, await res.text()]).toEqual([200, "OK"])
    expect(process.kill(testEnv().pid, 0)).toBe(true)
  })
})
