import { seedCustomer } from "../factories/customer"
import { adminClient, closeDb, raw, customerRoutes, resetCustomers, testEnv } from "../setup/context"

async function sessionCookie(): Promise<string> {
  const env = testEnv()
  const res = await fetch(`${env.baseUrl}/admin/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: env.email, password: env.password }),
  })
  expect(res.status).toBe(200)
  const cookie = res.headers.get("set-cookie")
  expect(cookie).toMatch(/^connect\.sid=/)
  return cookie!.split(";")[0]
}

async function bearerToken(): Promise<string> {
  const env = testEnv()
  const res = await fetch(`${env.baseUrl}/admin/auth/token`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: env.email, password: env.password }),
  })
  expect(res.status).toBe(200)
  const body = (await res.json()) as { access_token: string }
  return body.access_token
}

describe("authentication on the four routes", () => {
  let id: string
  beforeEach(async () => {
    await resetCustomers()
    id = await seedCustomer({ first_name: "Auth" })
  })
  afterAll(closeDb)

  const routes = () => customerRoutes(id, "x@example.com")

  it("answers 401 Unauthorized without credentials or with a wrong API token, and writes nothing", async () => {
    const variants: Record<string, string>[] = [{}, { "x-medusa-access-token": "pk_wrong" }, { authorization: "Bearer not.a.jwt" }]
    for (const headers of variants) {
      for (const [method, path, body] of routes()) {
        const res = await raw(method, path, { auth: false, body, headers: { "content-type": "application/json", ...headers } })
        expect([method, path, res.status, res.text]).toEqual([method, path, 401, "Unauthorized"])
      }
    }
    const check = await adminClient().admin.customers.list()
    expect(check.count).toBe(1)
    expect(check.customers[0].first_name).toBe("Auth")
  })

  it("accepts an admin session cookie through medusa-js", async () => {
    const cookie = await sessionCookie()
    const medusa = adminClient({ apiKey: "", customHeaders: { Cookie: cookie } })
    const { customers } = await medusa.admin.customers.list()
    expect(customers.map((c) => c.id)).toEqual([id])
    const { customer } = await medusa.admin.customers.update(id, { first_name: "ViaSession" })
    expect(customer.first_name).toBe("ViaSession")
  })

  it("accepts a bearer JWT through medusa-js", async () => {
    const token = await bearerToken()
    const medusa = adminClient({ apiKey: "", customHeaders: { Authorization: `Bearer ${token}` } })
    const { customer } = await medusa.admin.customers.retrieve(id)
    expect(customer.first_name).toBe("Auth")
    const created = await medusa.admin.customers.create({
      email: "bearer@example.com",
      first_name: "Bea",
      last_name: "Rer",
      password: "supersecret",
    })
    expect(created.customer.email).toBe("bearer@example.com")
  })
})
