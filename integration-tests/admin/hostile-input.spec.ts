import fc from "fast-check"
import { seedCustomer } from "../factories/customer"
import { closeDb, resetCustomers, testEnv } from "../setup/context"

/** Requests per route; 4 routes → 10,000 generated requests. */
const RUNS_PER_ROUTE = 2500

type Generated = { method: "GET" | "POST"; path: string; body?: string; headers: Record<string, string> }

const KNOWN_KEYS = [
  "q", "limit", "offset", "order", "expand", "fields", "has_account", "email", "groups", "groups[]", "groups[0]",
  "created_at", "created_at[gt]", "created_at[lte]", "updated_at[lt]", "created_at[eq]", "__proto__", "constructor",
  "limit[]", "q[a]", "expand[]",
]
const NASTY_VALUES = [
  "", "true", "false", "null", "NaN", "Infinity", "-1", "0", "1e309", "9".repeat(30), "%", "_", "\\", "%00", "'", "\"",
  "2024-13-45", "2024-01-01", "orders,groups", "billing_address", "password_hash", "-email", "created_at,id", "cus_", "\u0000",
]

const key = fc.oneof(fc.constantFrom(...KNOWN_KEYS), fc.string({ maxLength: 12 }))
const value = fc.oneof(
  fc.constantFrom(...NASTY_VALUES),
  fc.string({ maxLength: 40 }),
  fc.fullUnicodeString({ maxLength: 20 }),
  fc.integer().map(String),
  fc.double().map(String)
)
const queryString = fc
  .array(fc.tuple(key, value), { maxLength: 6 })
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k).replace(/%5B/g, "[").replace(/%5D/g, "]")}=${encodeURIComponent(v)}`).join("&"))

const field = fc.oneof(fc.string({ maxLength: 30 }), fc.jsonValue({ maxDepth: 2 }), fc.constantFrom(...NASTY_VALUES))
const customerish = fc.record(
  {
    email: fc.oneof(fc.emailAddress(), field),
    first_name: field,
    last_name: field,
    password: fc.oneof(fc.constant(undefined), field),
    phone: field,
    metadata: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }))),
    groups: fc.oneof(field, fc.array(fc.oneof(fc.record({ id: field }), field), { maxLength: 3 })),
    has_account: field,
    [fc.string({ maxLength: 6 }) as unknown as string]: field,
  },
  { requiredKeys: [] }
)
/** Bodies that pass validation, with odd but legal content: the create and update paths run to the end. */
const validish = fc.record(
  {
    email: fc.emailAddress(),
    first_name: fc.fullUnicodeString({ maxLength: 40 }),
    last_name: fc.fullUnicodeString({ maxLength: 40 }),
    password: fc.string({ minLength: 1, maxLength: 30 }),
    phone: fc.string({ maxLength: 20 }),
    metadata: fc.dictionary(fc.fullUnicodeString({ maxLength: 10 }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 5 }),
  },
  { requiredKeys: ["email", "first_name", "last_name", "password"] }
)
const body = fc.oneof(
  { arbitrary: validish.map((b) => JSON.stringify(b)), weight: 1 },
  { arbitrary: customerish.map((b) => JSON.stringify(b)), weight: 3 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)), weight: 1 },
  { arbitrary: fc.string({ maxLength: 60 }), weight: 1 },
  { arbitrary: fc.constantFrom("{", "[", "{\"email\":", "null", "\"\"", "{}", "[]", "{\"__proto__\":{\"x\":1}}"), weight: 1 }
)
const headerValue = fc.stringOf(fc.char().filter((c) => c >= " " && c <= "~"), { maxLength: 40 })
const headers = fc.record(
  {
    "content-type": fc.constantFrom("application/json", "text/plain", "application/x-www-form-urlencoded", "application/json; charset=utf-16", "multipart/form-data"),
    "idempotency-key": fc.oneof(fc.uuid(), headerValue),
    "if-match": fc.oneof(fc.constant("*"), headerValue),
  },
  { requiredKeys: ["content-type"] }
)
const id = (known: string) =>
  fc.oneof(fc.constant(known), fc.string({ maxLength: 30 }), fc.fullUnicodeString({ maxLength: 10 })).map((s) => encodeURIComponent(s) || "x")

function routes(known: string): [string, fc.Arbitrary<Generated>][] {
  return [
    ["GET /admin/customers", fc.record({ q: queryString, h: headers }).map(({ q, h }) => ({ method: "GET", path: `/admin/customers?${q}`, headers: h }))],
    ["POST /admin/customers", fc.record({ b: body, h: headers }).map(({ b, h }) => ({ method: "POST", path: "/admin/customers", body: b, headers: h }))],
    ["GET /admin/customers/:id", fc.record({ i: id(known), q: queryString, h: headers }).map(({ i, q, h }) => ({ method: "GET", path: `/admin/customers/${i}?${q}`, headers: h }))],
    ["POST /admin/customers/:id", fc.record({ i: id(known), q: queryString, b: body, h: headers }).map(({ i, q, b, h }) => ({ method: "POST", path: `/admin/customers/${i}?${q}`, body: b, headers: h }))],
  ]
}

async function send(request: Generated): Promise<number> {
  const env = testEnv()
  const res = await fetch(`${env.baseUrl}${request.path}`, {
    method: request.method,
    body: request.method === "POST" ? request.body : undefined,
    headers: { ...request.headers, "x-medusa-access-token": env.apiToken },
  })
  await res.arrayBuffer()
  return res.status
}

describe("hostile input (fast-check): 10,000 generated requests", () => {
  let known: string
  beforeAll(async () => {
    await resetCustomers()
    known = await seedCustomer({ first_name: "Target" })
  })
  afterAll(closeDb)

  it.each([0, 1, 2, 3])("route %i answers every generated request below 500", async (index) => {
    const [name, arbitrary] = routes(known)[index]
    const statuses = new Map<number, number>()
    await fc.assert(
      fc.asyncProperty(arbitrary, async (request) => {
        const status = await send(request)
        statuses.set(status, (statuses.get(status) ?? 0) + 1)
        return status < 500
      }),
      { numRuns: RUNS_PER_ROUTE, seed: 20261129 + index, endOnFailure: true }
    )
    const total = [...statuses.values()].reduce((a, b) => a + b, 0)
    process.stdout.write(`[hostile] ${name}: ${total} requests, statuses ${JSON.stringify(Object.fromEntries([...statuses].sort()))}\n`)
    expect([name, total]).toEqual([name, RUNS_PER_ROUTE])
    expect([...statuses.keys()].every((status) => status < 500)).toBe(true)
  }, 600000)

  it("is still the same live process afterwards", async () => {
    const res = await fetch(`${testEnv().baseUrl}/health`)
    expect([res.status, await res.text()]).toEqual([200, "OK"])
    expect(process.kill(testEnv().pid, 0)).toBe(true)
  })
})
