import { adminClient, closeDb, db, failure, resetCustomers } from "../setup/context"
import { CUSTOMER_KEYS, ISO_DATE, sortedKeys } from "../setup/expectations"

describe("POST /admin/customers (medusa.admin.customers.create)", () => {
  beforeEach(resetCustomers)
  afterAll(closeDb)

  it("creates the customer of the client's documented example: 201, core's keys, no password_hash", async () => {
    const medusa = adminClient()
    const { response, ...body } = await medusa.admin.customers.create({
      email: "user@example.com",
      first_name: "Caterina",
      last_name: "Yost",
      password: "supersecret",
    })

    const { customer } = body
    expect(response.status).toBe(201)
    expect(sortedKeys(body)).toEqual(["customer"])
    expect(sortedKeys(customer)).toEqual(CUSTOMER_KEYS)
    expect(customer).toEqual({
      id: expect.stringMatching(/^cus_[0-9A-Z]{26}$/),
      email: "user@example.com",
      first_name: "Caterina",
      last_name: "Yost",
      billing_address_id: null,
      phone: null,
      has_account: true,
      metadata: null,
      deleted_at: null,
      created_at: expect.stringMatching(ISO_DATE),
      updated_at: expect.stringMatching(ISO_DATE),
    })
    expect(JSON.stringify(body)).not.toContain("password_hash")

    const { rows } = await (await db()).query("SELECT email, password_hash FROM customer WHERE id = $1", [customer.id])
    expect(rows).toHaveLength(1)
    expect(rows[0].email).toBe("user@example.com")
    expect(typeof rows[0].password_hash).toBe("string")
    expect(rows[0].password_hash.length).toBeGreaterThan(20)
  })

  it("trims and lower-cases the email, keeps phone and metadata", async () => {
    const { customer } = await adminClient().admin.customers.create({
      email: "  Zoe.Muller@Example.COM ",
      first_name: "Zoë",
      last_name: "Müller-García",
      password: "supersecret",
      phone: "+49 30 1234567",
      metadata: { vip: true, source: "import" },
    })
    expect(customer.email).toBe("zoe.muller@example.com")
    expect(customer.first_name).toBe("Zoë")
    expect(customer.last_name).toBe("Müller-García")
    expect(customer.phone).toBe("+49 30 1234567")
    expect(customer.metadata).toEqual({ vip: true, source: "import" })
  })

  it("refuses a second account for the same email, whatever its case: 422 duplicate_error, one row", async () => {
    const medusa = adminClient()
    const payload = { first_name: "A", last_name: "B", password: "supersecret" }
    await medusa.admin.customers.create({ ...payload, email: "dup@example.com" })
    const res = await failure(medusa.admin.customers.create({ ...payload, email: "DUP@Example.com" }))
    expect(res).toEqual({
      status: 422,
      body: {
        type: "duplicate_error",
        code: "invalid_request_error",
        message: "A customer with the given email already has an account. Log in instead",
      },
    })
    const { rows } = await (await db()).query("SELECT count(*)::int AS n FROM customer WHERE lower(email) = 'dup@example.com'")
    expect(rows[0].n).toBe(1)
  })

  it.each([
    ["a missing email", { first_name: "A", last_name: "B", password: "x" }, "email must be an email"],
    ["an invalid email", { email: "not-an-email", first_name: "A", last_name: "B", password: "x" }, "email must be an email"],
    ["a missing password", { email: "a@example.com", first_name: "A", last_name: "B" }, "password must be a string"],
    ["a numeric first name", { email: "a@example.com", first_name: 5, last_name: "B", password: "x" }, "first_name must be a string"],
    ["metadata that is an array", { email: "a@example.com", first_name: "A", last_name: "B", password: "x", metadata: [1] }, "metadata must be an object"],
    ["an unknown field", { email: "a@example.com", first_name: "A", last_name: "B", password: "x", role: "admin" }, "property role should not exist"],
  ])("refuses %s with 400 invalid_data and writes nothing", async (_label, body, message) => {
    const res = await failure(adminClient().admin.customers.create(body as never))
    expect(res).toEqual({ status: 400, body: { type: "invalid_data", message } })
    const { rows } = await (await db()).query("SELECT count(*)::int AS n FROM customer")
    expect(rows[0].n).toBe(0)
  })
})
