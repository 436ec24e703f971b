import Ajv from "ajv"
import addFormats from "ajv-formats"
import fs from "fs"
import path from "path"
import { parse } from "yaml"
import { addToGroup, seedCustomer, seedGroup } from "../factories/customer"
import { closeDb, db, raw, resetCustomers } from "../setup/context"

type Doc = { paths: Record<string, Record<string, any>>; components: Record<string, any> }
const doc = parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "openapi.yaml"), "utf8")) as Doc
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats(ajv)
ajv.addSchema(doc, "openapi")

const deref = (node: any): any => (node?.$ref ? deref(node.$ref.slice(2).split("/").reduce((o: any, k: string) => o[k], doc)) : node)
const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/")

let validated = 0

/** Checks a real response against the operation's documented status, headers and body schema. */
function expectDocumented(route: string, method: string, res: { status: number; text: string; headers: Headers; contentType: string | null }) {
  const operation = doc.paths[route][method.toLowerCase()]
  const documented = operation.responses[String(res.status)]
  expect([route, method, res.status, documented ? "documented" : "undocumented"]).toEqual([route, method, res.status, "documented"])
  const response = deref(documented)
  if (!response.content) {
    // Medusa's authentication answers 401 with a bare "Unauthorized" and no Content-Type
    expect([res.contentType, res.text]).toEqual([null, response["x-body"]])
    validated += 1
    return
  }
  const [mediaType] = Object.keys(response.content)
  expect(res.contentType?.split(";")[0]).toBe(mediaType)
  const ref = documented.$ref
    ? `openapi#/${pointer(...documented.$ref.slice(2).split("/"), "content", mediaType, "schema")}`
    : `openapi#/${pointer("paths", route, method.toLowerCase(), "responses", String(res.status), "content", mediaType, "schema")}`
  const validate = ajv.getSchema(ref) ?? ajv.compile({ $ref: ref })
  const body = mediaType === "application/json" ? JSON.parse(res.text) : res.text
  const ok = validate(body)
  expect([route, method, res.status, ok ? [] : validate.errors]).toEqual([route, method, res.status, []])
  for (const [name, header] of Object.entries<any>(response.headers ?? {})) {
    const value = res.headers.get(name)
    if (value !== null) expect(`${name}: ${value}`).toMatch(new RegExp(`^${name}: ${(deref(header).schema.pattern ?? ".*").replace(/^\^/, "")}`))
  }
  validated += 1
}

const json = { "content-type": "application/json" }
const send = (method: string, url: string, body?: unknown, headers: Record<string, string> = {}) =>
  raw(method, url, { body: body === undefined ? undefined : JSON.stringify(body), headers: { ...json, ...headers } })

describe("openapi.yaml describes the real responses", () => {
  let id: string
  beforeAll(async () => {
    await resetCustomers()
    id = await seedCustomer({ first_name: "Spec", last_name: "Yost", phone: "+1 555 0100", metadata: { a: 1 } })
    const group = await seedGroup("Spec group")
    await addToGroup(group, id)
    await (await db()).query("INSERT INTO address (id, customer_id, city, country_code) VALUES ('addr_spec1', $1, 'Oslo', 'no')", [id])
  })
  afterAll(async () => {
    process.stdout.write(`[openapi] ${validated} responses validated against openapi.yaml\n`)
    await closeDb()
  })

  it("GET /admin/customers: pages, searches, expansions, fields and errors", async () => {
    const route = "/admin/customers"
    for (const query of ["", "q=yost", "q=catrina%20yost", "expand=orders,groups,billing_address&limit=15", "fields=email,phone", "has_account=false&order=-email", "offset=5"]) {
      expectDocumented(route, "GET", await send("GET", `${route}?${query}`))
    }
    for (const query of ["limit=0", "order=bogus", "expand=password_hash", "has_account=maybe"]) {
      expectDocumented(route, "GET", await send("GET", `${route}?${query}`))
    }
    expectDocumented(route, "GET", await raw("GET", route, { auth: false }))
  })

  it("POST /admin/customers: created, replayed, invalid, duplicate", async () => {
    const route = "/admin/customers"
    const body = { email: "spec@example.com", first_name: "Spec", last_name: "Create", password: "supersecret" }
    expectDocumented(route, "POST", await send("POST", route, body, { "idempotency-key": "spec-key-1" }))
    expectDocumented(route, "POST", await send("POST", route, body, { "idempotency-key": "spec-key-1" }))
    expectDocumented(route, "POST", await send("POST", route, body))
    expectDocumented(route, "POST", await send("POST", route, { email: "nope" }))
    expectDocumented(route, "POST", await raw("POST", route, { body: "{bad", headers: json }))
  })

  it("GET and POST /admin/customers/{id}: found, expanded, narrowed, updated, stale, missing", async () => {
    const route = "/admin/customers/{id}"
    for (const query of ["", "expand=groups,billing_address,shipping_addresses,orders", "fields=email"]) {
      expectDocumented(route, "GET", await send("GET", `/admin/customers/${id}?${query}`))
    }
    expectDocumented(route, "GET", await send("GET", "/admin/customers/cus_missing"))
    expectDocumented(route, "GET", await send("GET", `/admin/customers/${id}?expand=nope`))
    const updated = await send("POST", `/admin/customers/${id}`, { first_name: "Specced", metadata: { b: 2 } })
    expectDocumented(route, "POST", updated)
    const etag = updated.headers.get("etag")!
    expectDocumented(route, "POST", await send("POST", `/admin/customers/${id}`, { last_name: "Matched" }, { "if-match": etag }))
    expectDocumented(route, "POST", await send("POST", `/admin/customers/${id}`, { last_name: "Stale" }, { "if-match": etag }))
    expectDocumented(route, "POST", await send("POST", "/admin/customers/cus_missing", { first_name: "x" }))
    expectDocumented(route, "POST", await send("POST", `/admin/customers/${id}`, { groups: "x" }))
    expectDocumented(route, "POST", await raw("POST", `/admin/customers/${id}`, { auth: false, body: "{}", headers: json }))
    expect(validated).toBe(28) // 12 list + 5 create + 11 retrieve/update responses
  })

  it("GET /admin/customers/{id}/history: entries, paged, invalid, missing", async () => {
    const route = "/admin/customers/{id}/history"
    await send("POST", `/admin/customers/${id}`, { first_name: "Historied", password: "another-secret", metadata: { a: "" } }, { "x-request-id": "spec-1" })
    for (const query of ["", "?limit=1&offset=0", "?offset=5", "?limit=0", "?offset=x"]) {
      expectDocumented(route, "GET", await send("GET", `/admin/customers/${id}/history${query}`))
    }
    expectDocumented(route, "GET", await send("GET", "/admin/customers/cus_missing/history"))
    expectDocumented(route, "GET", await raw("GET", `/admin/customers/${id}/history`, { auth: false }))
    expect(validated).toBe(35) // and 7 history responses
  })
})
