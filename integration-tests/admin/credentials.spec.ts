import jwt from "jsonwebtoken"
import { seedCustomer } from "../factories/customer"
import { adminClient, closeDb, customerRoutes, db, msUntilTokenRefused, raw, resetCustomers, testEnv } from "../setup/context"

const JWT_SECRET = process.env.JWT_SECRET || "supersecret"
const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString("base64url")

async function adminUserId(): Promise<string> {
  const { rows } = await (await db()).query("SELECT id FROM public.user WHERE email = $1", [testEnv().email])
  return rows[0].id
}

async function storeCustomerCredentials(): Promise<{ token: string; cookie: string }> {
  const env = testEnv()
  await adminClient().admin.customers.create({ email: "shopper@example.com", first_name: "S", last_name: "Hopper", password: "supersecret" })
  const body = JSON.stringify({ email: "shopper@example.com", password: "supersecret" })
  const headers = { "content-type": "application/json" }
  const tokenRes = await fetch(`${env.baseUrl}/store/auth/token`, { method: "POST", headers, body })
  expect(tokenRes.status).toBe(200)
  const sessionRes = await fetch(`${env.baseUrl}/store/auth`, { method: "POST", headers, body })
  expect(sessionRes.status).toBe(200)
  return {
    token: ((await tokenRes.json()) as { access_token: string }).access_token,
    cookie: sessionRes.headers.get("set-cookie")!.split(";")[0],
  }
}

describe("credentials: only a live admin gets in", () => {
  let id: string
  beforeEach(async () => {
    await resetCustomers()
    id = await seedCustomer({ first_name: "Guarded" })
  })
  afterAll(closeDb)

  const routes = () => customerRoutes(id, "new@example.com")

  async function expectRefused(label: string, headers: Record<string, string>) {
    for (const [method, path, body] of routes()) {
      const res = await raw(method, path, { auth: false, body, headers: { "content-type": "application/json", ...headers } })
      expect([label, method, path, res.status, res.text]).toEqual([label, method, path, 401, "Unauthorized"])
    }
  }

  it("refuses forged, foreign and stale credentials with 401 on all four routes, writing nothing", async () => {
    const userId = await adminUserId()
    const shopper = await storeCustomerCredentials()
    const cases: [string, Record<string, string>][] = [
      ["no credentials", {}],
      ["garbage bearer", { authorization: "Bearer garbage" }],
      ["alg none", { authorization: `Bearer ${b64({ alg: "none", typ: "JWT" })}.${b64({ user_id: userId, domain: "admin" })}.` }],
      ["wrong secret", { authorization: `Bearer ${jwt.sign({ user_id: userId, domain: "admin" }, "not-the-secret")}` }],
      ["store customer's token", { authorization: `Bearer ${shopper.token}` }],
      ["store customer's session", { cookie: shopper.cookie }],
      ["wrong API token", { "x-medusa-access-token": "pk_not_a_token" }],
      ["admin token of a user that never existed", { authorization: `Bearer ${jwt.sign({ user_id: "usr_ghost", domain: "admin" }, JWT_SECRET)}` }],
    ]
    for (const [label, headers] of cases) await expectRefused(label, headers)
    const { rows } = await (await db()).query("SELECT first_name FROM customer WHERE id = $1", [id])
    expect(rows).toEqual([{ first_name: "Guarded" }])
    const { rows: created } = await (await db()).query("SELECT count(*)::int AS n FROM customer WHERE email = 'new@example.com'")
    expect(created[0].n).toBe(0)
  })

  it("refuses the correctly signed token of a deleted admin", async () => {
    const pg = await db()
    await pg.query(
      "INSERT INTO public.user (id, email, role) VALUES ('usr_test_deleted', 'gone@example.com', 'admin') ON CONFLICT (id) DO UPDATE SET deleted_at = NULL"
    )
    const token = jwt.sign({ user_id: "usr_test_deleted", domain: "admin" }, JWT_SECRET)
    const before = await raw("GET", "/admin/customers", { auth: false, headers: { authorization: `Bearer ${token}` } })
    expect(before.status).toBe(200)
    await pg.query("UPDATE public.user SET deleted_at = now() WHERE id = 'usr_test_deleted'")
    await expectRefused("deleted admin", { authorization: `Bearer ${token}` })
  })

  it("refuses the API token of a deleted admin, which worked while the admin existed", async () => {
    const pg = await db()
    await pg.query(
      `INSERT INTO public.user (id, email, role, api_token) VALUES ('usr_test_token_gone', 'token-gone@example.com', 'admin', 'pk_test_token_gone')
       ON CONFLICT (id) DO UPDATE SET deleted_at = NULL, api_token = EXCLUDED.api_token`
    )
    const before = await raw("GET", "/admin/customers", { auth: false, headers: { "x-medusa-access-token": "pk_test_token_gone" } })
    expect(before.status).toBe(200)
    await pg.query("UPDATE public.user SET deleted_at = now() WHERE id = 'usr_test_token_gone'")
    // the store hears of the change (API-token cache): refused within milliseconds, then on every route
    expect(await msUntilTokenRefused("pk_test_token_gone", 1_000)).toBeLessThan(1_000)
    await expectRefused("deleted admin's API token", { "x-medusa-access-token": "pk_test_token_gone" })
  })

  it("stores no session and sets no cookie for API-token requests", async () => {
    for (const [method, path, body] of routes()) {
      const res = await fetch(`${testEnv().baseUrl}${path}`, {
        method,
        body,
        headers: { "x-medusa-access-token": testEnv().apiToken, "content-type": "application/json" },
      })
      expect([method, path, res.status < 300, res.headers.get("set-cookie")]).toEqual([method, path, true, null])
    }
  })
})
