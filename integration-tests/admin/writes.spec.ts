import { createHash, createHmac, randomUUID } from "crypto"
import { seedCustomer, seedGroup } from "../factories/customer"
import { adminClient, closeDb, db, deliveredEvents, type DeliveredEvent, raw, resetCustomers } from "../setup/context"

const json = { "content-type": "application/json" }
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  raw("POST", path, { body: JSON.stringify(body), headers: { ...json, ...headers } })
const createBody = (email: string) => ({ email, first_name: "Idem", last_name: "Potent", password: "supersecret" })

describe("writes: no lost or duplicated changes", () => {
  beforeEach(resetCustomers)
  afterAll(closeDb)

  it("keeps all 50 keys of 50 concurrent metadata updates", async () => {
    const id = await seedCustomer({ metadata: { seed: true } })
    const medusa = adminClient()
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => medusa.admin.customers.update(id, { metadata: { [`key${i}`]: i } }))
    )
    expect(results.map((r) => r.response.status)).toEqual(Array(50).fill(200))
    const { rows } = await (await db()).query("SELECT metadata FROM customer WHERE id = $1", [id])
    expect(rows[0].metadata).toEqual({ seed: true, ...Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`key${i}`, i])) })
  })

  it("makes one account per email across 1,000 concurrent creates over 100 case-variant emails", async () => {
    const emails = Array.from({ length: 100 }, (_, i) => `race${i}@example.com`)
    const statuses: number[] = []
    const variants = (email: string, i: number) => (i % 3 === 0 ? email.toUpperCase() : i % 3 === 1 ? ` ${email}` : email)
    const queue = Array.from({ length: 1000 }, (_, i) => createBody(variants(emails[i % 100], Math.floor(i / 100))))
    // 50 requests in flight at a time: every create hashes a password (scrypt, ~100 ms)
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        for (let body = queue.pop(); body; body = queue.pop()) statuses.push((await post("/admin/customers", body)).status)
      })
    )
    const tally = statuses.reduce<Record<number, number>>((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {})
    expect(tally).toEqual({ 201: 100, 422: 900 })
    const { rows } = await (await db()).query(
      "SELECT count(*)::int AS n, count(DISTINCT lower(email))::int AS emails FROM customer WHERE email LIKE 'race%'"
    )
    expect(rows[0]).toEqual({ n: 100, emails: 100 })
    // one history entry per customer made, none left by the 900 refused creates
    const entries = await (await db()).query(
      "SELECT h.action, count(*)::int AS n, count(DISTINCT h.customer_id)::int AS customers FROM customer_history h GROUP BY h.action"
    )
    expect(entries.rows).toEqual([{ action: "created", n: 100, customers: 100 }])
  }, 180000)

  it("answers a duplicate with 422 duplicate_error and a clear message, never SQL", async () => {
    await post("/admin/customers", createBody("taken@example.com"))
    const res = await post("/admin/customers", createBody("TAKEN@example.com"))
    expect([res.status, JSON.parse(res.text)]).toEqual([
      422,
      { type: "duplicate_error", code: "invalid_request_error", message: "A customer with the given email already has an account. Log in instead" },
    ])
  })

  describe("Idempotency-Key on create", () => {
    it("replays the original 201 and body for a sequential retry, with one row", async () => {
      const key = randomUUID()
      const first = await post("/admin/customers", createBody("idem@example.com"), { "idempotency-key": key })
      const again = await post("/admin/customers", createBody("idem@example.com"), { "idempotency-key": key })
      expect(first.status).toBe(201)
      expect([again.status, again.text]).toEqual([201, first.text])
      const { rows } = await (await db()).query("SELECT count(*)::int AS n FROM customer WHERE email = 'idem@example.com'")
      expect(rows[0].n).toBe(1)
    })

    it("makes one row for 10 concurrent requests with one key, all answered identically", async () => {
      const key = randomUUID()
      const responses = await Promise.all(
        Array.from({ length: 10 }, () => post("/admin/customers", createBody("burst@example.com"), { "idempotency-key": key }))
      )
      expect(new Set(responses.map((r) => `${r.status} ${r.text}`)).size).toBe(1)
      expect(responses[0].status).toBe(201)
      const { rows } = await (await db()).query("SELECT count(*)::int AS n FROM customer WHERE email = 'burst@example.com'")
      expect(rows[0].n).toBe(1)
    })

    it("answers a medusa-js create sent again with its key as the first time, and refuses the key reused for another body (400, not 409)", async () => {
      const key = randomUUID()
      const medusa = adminClient()
      const created = await medusa.admin.customers.create(createBody("client@example.com"), { "Idempotency-Key": key })
      const retried = await medusa.admin.customers.create(createBody("client@example.com"), { "Idempotency-Key": key })
      expect(retried.customer).toEqual(created.customer)
      const other = await post("/admin/customers", createBody("other@example.com"), { "idempotency-key": key })
      expect([other.status, JSON.parse(other.text)]).toEqual([
        400,
        { type: "invalid_data", message: "This Idempotency-Key was already used for a different request; use a new key for a new request" },
      ])
      const { rows } = await (await db()).query("SELECT body FROM customer_idempotency_key WHERE key = $1", [key])
      expect(rows[0].body).not.toContain("password_hash")
      expect(JSON.parse(rows[0].body).customer.id).toBe(created.customer.id)
    })

    it("keeps no fast hash of the password: the stored fingerprint is HMAC-SHA256 keyed with the store's jwt_secret", async () => {
      const key = randomUUID()
      const body = { email: "keyed@example.com", first_name: "Keyed", last_name: "Hash", password: "correct horse battery" }
      await adminClient().admin.customers.create(body, { "Idempotency-Key": key })
      const { rows } = await (await db()).query("SELECT request_hash FROM customer_idempotency_key WHERE key = $1", [key])
      // what the route fingerprints: method, path and the validated body (the same fields, in the order sent)
      const message = JSON.stringify(["POST", "/admin/customers", body])
      // the development store's secret (medusa-config.js)
      const secret = process.env.JWT_SECRET || "supersecret"
      expect(rows).toHaveLength(1)
      expect(rows[0].request_hash).not.toBe(createHash("sha256").update(message).digest("hex"))
      expect(rows[0].request_hash).toBe(createHmac("sha256", secret).update(message).digest("hex"))

      // the password is part of the request: the same key with another password is another request
      const other = await post("/admin/customers", { ...body, password: "wrong horse" }, { "idempotency-key": key })
      expect([other.status, JSON.parse(other.text).type]).toEqual([400, "invalid_data"])
    })
  })

  describe("ETag and If-Match", () => {
    it("gives a strong ETag on retrieve, create and update that changes with every write", async () => {
      const created = await post("/admin/customers", createBody("etag@example.com"))
      const id = JSON.parse(created.text).customer.id
      const etagOf = async () => (await fetchCustomer(id)).etag
      const createdTag = created.headers.get("etag") ?? ""
      expect(createdTag).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
      expect(await etagOf()).toBe(createdTag)
      const updated = await adminClient().admin.customers.update(id, { first_name: "Changed" })
      const updatedTag = updated.response.headers["etag"]
      expect(updatedTag).toMatch(/^"[A-Za-z0-9_-]{27}"$/)
      expect(updatedTag).not.toBe(createdTag)
      expect(await etagOf()).toBe(updatedTag)
    })

    it("keeps the ETag and updated_at, and writes no history entry, for an update that changes nothing (as core's save)", async () => {
      const id = await seedCustomer({ first_name: "Same", last_name: "Name", phone: "555", metadata: { tier: "gold" } })
      const pg = await db()
      const updatedAt = async () => (await pg.query("SELECT updated_at FROM customer WHERE id = $1", [id])).rows[0].updated_at.toISOString()
      const entries = async () => (await pg.query("SELECT changes FROM customer_history WHERE customer_id = $1", [id])).rows
      const seeded = { etag: (await fetchCustomer(id)).etag, updatedAt: await updatedAt() }
      // the Medusa Admin's edit form saved unchanged: every field sent as it is
      const same = await adminClient().admin.customers.update(id, { first_name: "Same", last_name: "Name", phone: "555", metadata: { tier: "gold" } })
      expect([same.response.headers["etag"], same.customer.updated_at, await updatedAt()]).toEqual([seeded.etag, seeded.updatedAt, seeded.updatedAt])
      expect(await entries()).toEqual([])
      const changed = await adminClient().admin.customers.update(id, { first_name: "Same", metadata: { tier: "silver" } })
      expect(changed.response.headers["etag"]).not.toBe(seeded.etag)
      expect(await updatedAt()).not.toBe(seeded.updatedAt)
      expect(await entries()).toEqual([{ changes: { "metadata.tier": { from: "gold", to: "silver" } } }])
      // a change of the groups alone is a change too: the ETag moves, so a stale If-Match is refused
      const groupsBefore = { etag: changed.response.headers["etag"], updatedAt: await updatedAt() }
      const grouped = await adminClient().admin.customers.update(id, { groups: [{ id: await seedGroup("Etag") }] })
      expect(grouped.response.headers["etag"]).not.toBe(groupsBefore.etag)
      expect(await updatedAt()).not.toBe(groupsBefore.updatedAt)
      expect((await post(`/admin/customers/${id}`, { groups: [] }, { "if-match": groupsBefore.etag })).status).toBe(412)
    })

    it("writes with a current If-Match, refuses a stale one with 412 and writes nothing", async () => {
      const id = await seedCustomer({ first_name: "Original" })
      const { etag } = await fetchCustomer(id)
      const medusa = adminClient()
      const ok = await medusa.admin.customers.update(id, { first_name: "First" }, { "If-Match": etag })
      expect(ok.customer.first_name).toBe("First")
      const stale = await post(`/admin/customers/${id}`, { first_name: "Second" }, { "if-match": etag })
      expect([stale.status, JSON.parse(stale.text)]).toEqual([
        412,
        { type: "precondition_failed", message: "The customer has changed since it was read (If-Match does not match its ETag); fetch it again" },
      ])
      const { rows } = await (await db()).query("SELECT first_name FROM customer WHERE id = $1", [id])
      expect(rows[0].first_name).toBe("First")
      const star = await post(`/admin/customers/${id}`, { first_name: "Star" }, { "if-match": "*" })
      expect(star.status).toBe(200)
      const missing = await post("/admin/customers/cus_missing", { first_name: "X" }, { "if-match": etag })
      expect(missing.status).toBe(404)
    })
  })

  it("emits exactly one customer.created and one customer.updated per committed change", async () => {
    const medusa = adminClient()
    const { customer } = await medusa.admin.customers.create(createBody("events-once@example.com"))
    await medusa.admin.customers.update(customer.id, { first_name: "Once" })
    const refused = await post(`/admin/customers/${customer.id}`, { groups: [{ id: "cgrp_missing" }] })
    expect(refused.status).toBe(404)
    const events = (found: DeliveredEvent[]) => found.map((e) => e.event).sort()
    expect(events(await deliveredEvents(customer.id, 2))).toEqual(["customer.created", "customer.updated"])
    await new Promise((r) => setTimeout(r, 4000)) // one more poll of the staged-job enqueuer
    expect(events(await deliveredEvents(customer.id, 0))).toEqual(["customer.created", "customer.updated"])
  })
})

async function fetchCustomer(id: string): Promise<{ etag: string }> {
  const res = await raw("GET", `/admin/customers/${id}`)
  expect(res.status).toBe(200)
  return { etag: res.headers.get("etag") ?? "" }
}
