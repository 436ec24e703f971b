import { addToGroup, seedCustomer, seedGroup } from "../factories/customer"
import { adminClient, closeDb, db, resetCustomers } from "../setup/context"
import { freeParallelPlan } from "../setup/plans"

/*
 * A search matching more customers than `broadMatches` (3 in the test store) reads its page and
 * its count as two statements that may run with parallel workers. Whichever way a search is
 * read, it must find the same customers in the same order with the same count.
 */
const qs = require("qs")
const { validator } = require("@medusajs/medusa")
const { AdminGetCustomersParams } = require("../../dist/api/admin/customers/validators")
const { toListQuery } = require("../../dist/api/admin/customers/query-config")
const { findCustomerIds } = require("../../dist/queries/customer-list")
const { listCount, searchPage, searchTerms } = require("../../dist/queries/customer-search")

type Page = { ids: string[]; count: number }

/** The page findCustomerIds reads for `query` with the given threshold, on the test database. */
async function direct(query: string, broadMatches: number): Promise<Page> {
  const pg = await db()
  const manager = { connection: {}, query: async (sql: string, params: unknown[]) => (await pg.query(sql, params)).rows }
  const { filters, config } = toListQuery(await validator(AdminGetCustomersParams, qs.parse(query), { stopAtFirstError: true }))
  const { ids, count } = await findCustomerIds(manager, filters, config, { fuzzySearch: true, deepOffset: 10_000, broadMatches })
  return { ids, count }
}

async function api(query: string): Promise<Page> {
  const res = await adminClient().admin.customers.list(qs.parse(query) as never)
  return { ids: res.customers.map((c: { id: string }) => c.id), count: res.count }
}

describe("broad searches", () => {
  beforeAll(async () => {
    await resetCustomers()
    const vip = await seedGroup("VIP")
    const seeds = [
      { email: "gmail@example.com", first_name: "Exact", last_name: "Address" },
      { email: "gmail.fan@shop.io", first_name: "Prefix", last_name: "Email" },
      { email: "abigail.yost@gmail.com", first_name: "Abigail", last_name: "Yost", has_account: true },
      { email: "gail.p@gmail.com", first_name: "Gail", last_name: "Post" },
      { email: "mia.gmailer@outlook.com", first_name: "Mia", last_name: "Gmailer", has_account: true },
      { email: "ted@gmail.com", first_name: "Ted", last_name: "Lang" },
      { email: "zoe@gmail.com", first_name: "Zoë", last_name: "Müller", has_account: true },
      { email: "ann@gmail.com", first_name: "Ann", last_name: "Gmaill" },
      { email: "bo@yahoo.com", first_name: "Bo", last_name: "Brand" },
      { email: "cy@yahoo.com", first_name: "Cy", last_name: "Gale" },
      { email: "dolly@yahoo.com", first_name: "Dolly", last_name: "Yost" },
      { email: "dolly.y@yahoo.com", first_name: "Dolly", last_name: "Yosts" },
    ]
    for (const [i, seed] of seeds.entries()) {
      const id = await seedCustomer(seed)
      if (i % 3 === 0) await addToGroup(vip, id)
    }
    // a deleted match counts nowhere
    const deleted = await seedCustomer({ email: "gone@gmail.com" })
    await (await db()).query("UPDATE customer SET deleted_at = now() WHERE id = $1", [deleted])
  })
  afterAll(closeDb)

  it.each([
    ["q=gmail", 8],
    ["q=gmail&limit=3&offset=2", 8],
    ["q=gmail&offset=7", 8],
    ["q=gmail&offset=20", 8],
    ["q=gmail&order=-email", 8],
    ["q=gmail&order=first_name&limit=2&offset=1", 8],
    ["q=gmail&has_account=true", 3],
    ["q=ail", 8],
    ["q=Dolly Yots", 2], // nothing as typed: the fuzzy matches
  ])("reads %s the same in one statement and in two (%i matches)", async (query, matches) => {
    const one = await direct(query, 1_000_000)
    const two = await direct(query, 1)
    expect(one.count).toBe(matches)
    expect(two).toEqual(one)
    expect(await api(query)).toEqual(one)
  })

  it("orders a broad search by relevance: prefixes first, each tier by the name's similarity, then newest", async () => {
    const { ids } = await direct("q=gmail", 1)
    const { rows } = await (await db()).query("SELECT id, email FROM customer WHERE id = ANY($1)", [ids])
    const email = new Map(rows.map((r: { id: string; email: string }) => [r.id, r.email]))
    expect(ids.map((id) => email.get(id))).toEqual([
      // prefixes of an email or a surname: the names most like "gmail" first, then the newest
      "ann@gmail.com",
      "mia.gmailer@outlook.com",
      "gmail.fan@shop.io",
      "gmail@example.com",
      // the rest: names sharing trigrams with "gmail" ("ail"), then the newest
      "gail.p@gmail.com",
      "abigail.yost@gmail.com",
      "zoe@gmail.com",
      "ted@gmail.com",
    ])
  })

  it("plans the broad statements with parallel workers where they pay, and the one statement never", async () => {
    const pg = await db()
    const terms = searchTerms("gmail")
    const config = { relations: [], skip: 0, take: 50 }
    const normalised = new Map([
      ["%gmail%", "%gmail%"],
      ["gmail", "gmail"],
      ["gmail%", "gmail%"],
    ])
    const plan = async (statement: { sql: string; params: unknown[] }) => await freeParallelPlan(pg, statement)
    expect(await plan(searchPage({}, terms, config, "substring", "columns", { broad: normalised }))).toMatch(/Gather/)
    expect(await plan(listCount({}, terms, "substring", "columns", normalised))).toMatch(/Gather/)
    expect(await plan(searchPage({}, terms, config, "substring", "columns", { cap: 3 }))).not.toMatch(/Gather/)
  })
})
