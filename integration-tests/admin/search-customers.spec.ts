import { addToGroup, seedCustomer, seedGroup } from "../factories/customer"
import { adminClient, closeDb, resetCustomers } from "../setup/context"

const list = (query: Record<string, unknown>) => adminClient().admin.customers.list(query as never)
const ids = (customers: { id: string }[]) => customers.map((c) => c.id)
const search = async (q: string, extra: Record<string, unknown> = {}) => {
  const res = await list({ q, ...extra })
  return { count: res.count, ids: ids(res.customers) }
}

describe("GET /admin/customers?q= — search the way admins type", () => {
  const older = new Date("2024-01-01T00:00:00Z")
  const newer = new Date("2024-06-01T00:00:00Z")
  beforeEach(resetCustomers)
  afterAll(closeDb)

  it("finds a full name, and only that person", async () => {
    const caterina = await seedCustomer({ first_name: "Caterina", last_name: "Yost", email: "c.y@shop.io" })
    await seedCustomer({ first_name: "Caterina", last_name: "Smith", email: "cs@shop.io" })
    await seedCustomer({ first_name: "Dolly", last_name: "Yost", email: "dy@shop.io" })
    expect(await search("Caterina Yost")).toEqual({ count: 1, ids: [caterina] })
    expect(await search("  caterina   yost ".trim())).toEqual({ count: 1, ids: [caterina] })
  })

  it("ignores case and accents both ways", async () => {
    const zoe = await seedCustomer({ first_name: "Zoë", last_name: "Müller-García", email: "zmg@example.de" })
    await seedCustomer({ first_name: "Zoe", last_name: "Miller", email: "zm@example.com" })
    expect(await search("zoe muller")).toEqual({ count: 1, ids: [zoe] })
    expect(await search("MÜLLER-GARCIA")).toEqual({ count: 1, ids: [zoe] })
    expect(await search("Garcia")).toEqual({ count: 1, ids: [zoe] })
  })

  it("tolerates one typo in a name when nothing matches as typed", async () => {
    const caterina = await seedCustomer({ first_name: "Caterina", last_name: "Yost" })
    await seedCustomer({ first_name: "Katherine", last_name: "Post" })
    expect(await search("Catrina Yost")).toEqual({ count: 1, ids: [caterina] })
    expect(await search("Caterina Yosr")).toEqual({ count: 1, ids: [caterina] })
    // an exact match wins: no fuzzy neighbours are mixed in
    const catrina = await seedCustomer({ first_name: "Catrina", last_name: "Yost" })
    expect(await search("Catrina Yost")).toEqual({ count: 1, ids: [catrina] })
  })

  it("finds phone numbers by their digits, whatever the formatting", async () => {
    const a = await seedCustomer({ phone: "+1 (555) 010-4477" })
    const b = await seedCustomer({ phone: "555.010.4477" })
    await seedCustomer({ phone: "+44 20 7946 0958" })
    await seedCustomer({ phone: null })
    // has the first, middle and last three digits the index is asked for (555, 010, 477), not the number
    await seedCustomer({ phone: "555-010-4770" })
    expect(await search("5550104477")).toEqual({ count: 2, ids: [b, a] })
    expect(await search("(555) 010-4477")).toEqual({ count: 2, ids: [b, a] })
    expect(await search("+1 555 010 4477")).toEqual({ count: 1, ids: [a] })
    expect(await search("0958")).toEqual({ count: 1, ids: [expect.any(String)] })
  })

  it("finds a customer by id", async () => {
    const target = await seedCustomer()
    await seedCustomer()
    expect(await search(target)).toEqual({ count: 1, ids: [target] })
  })

  it("ranks exact email first, then prefix matches, then the rest; ties newest first", async () => {
    const contains = await seedCustomer({ email: "mary.yost@example.com", first_name: "Mary", last_name: "Jones", created_at: newer })
    const exact = await seedCustomer({ email: "yost@example.com", first_name: "Ann", last_name: "Lee", created_at: older })
    const olderTwin = await seedCustomer({ email: "t1@example.com", first_name: "Bo", last_name: "Yost", created_at: older })
    const newerTwin = await seedCustomer({ email: "t2@example.com", first_name: "Bo", last_name: "Yost", created_at: newer })
    const res = await search("yost@example.com")
    expect(res).toEqual({ count: 2, ids: [exact, contains] })
    const byName = await search("yost")
    expect(byName.count).toBe(4)
    // rank 0: none; rank 1 (prefix of email or last name): exact, olderTwin, newerTwin; rank 2: contains
    expect(byName.ids.slice(0, 3).sort()).toEqual([exact, olderTwin, newerTwin].sort())
    expect(byName.ids.indexOf(newerTwin)).toBeLessThan(byName.ids.indexOf(olderTwin))
    expect(byName.ids[3]).toBe(contains)
  })

  it("ranks the rest by how close the name it is in comes, then matches only in the email, newest first", async () => {
    // similarity to "ann": "joann li" 0.18, "marianne oakenshield" 0.04; "an nguyen" 0.17 without containing it
    const marianne = await seedCustomer({ first_name: "Marianne", last_name: "Oakenshield", email: "p2@example.com", created_at: newer })
    const joann = await seedCustomer({ first_name: "Joann", last_name: "Li", email: "p1@example.com", created_at: older })
    const olderEmail = await seedCustomer({ first_name: "An", last_name: "Nguyen", email: "b.ann@example.com", created_at: older })
    const newerEmail = await seedCustomer({ first_name: "Zed", last_name: "Brown", email: "c.ann@example.com", created_at: newer })
    expect(await search("ann")).toEqual({ count: 4, ids: [joann, marianne, newerEmail, olderEmail] })
    // a name match sharing no trigram with a short text (similarity 0) still ranks before an email-only one
    const emailOnly = await seedCustomer({ first_name: "Bo", last_name: "Lee", email: "k.oa@example.com", created_at: newer })
    expect(await search("oa")).toEqual({ count: 3, ids: [marianne, joann, emailOnly] })
  })

  it("ranks the name matches of one or two characters newest first: no name is like so short a text", async () => {
    const zed = await seedCustomer({ first_name: "Zed", last_name: "Alpha", email: "p1@example.com", created_at: older })
    // "anna zoe smith" has a word starting with z (similarity 0.07 to "z"), "liz brown" none (0)
    const annaZoe = await seedCustomer({ first_name: "Anna Zoe", last_name: "Smith", email: "p2@example.com", created_at: older })
    const liz = await seedCustomer({ first_name: "Liz", last_name: "Brown", email: "p3@example.com", created_at: newer })
    const emailOnly = await seedCustomer({ first_name: "Bob", last_name: "Jones", email: "bob@zeta.io", created_at: newer })
    expect(await search("z")).toEqual({ count: 4, ids: [zed, liz, annaZoe, emailOnly] })
    // "ola boakes" shares the trigram "  o" with "oa" (similarity 0.08), "joann li" none (0): the newer still comes first
    const boakes = await seedCustomer({ first_name: "Ola", last_name: "Boakes", email: "p4@example.com", created_at: older })
    const joann = await seedCustomer({ first_name: "Joann", last_name: "Li", email: "p5@example.com", created_at: newer })
    expect(await search("oa")).toEqual({ count: 2, ids: [joann, boakes] })
  })

  it("counts and pages a q of one character exactly (its page and its count are two statements), with filters", async () => {
    const zak: string[] = []
    for (let i = 0; i < 5; i++) zak.push(await seedCustomer({ last_name: "Žák", has_account: i < 2 }))
    const inEmail = [await seedCustomer({ email: "a@zz.io" }), await seedCustomer({ email: "x_y@zz.io", has_account: true })]
    for (let i = 0; i < 3; i++) await seedCustomer()
    const ranked = [...[...zak].reverse(), ...[...inEmail].reverse()]
    expect(await search("z")).toEqual({ count: 7, ids: ranked })
    expect(await search("Z", { limit: 3, offset: 3 })).toEqual({ count: 7, ids: ranked.slice(3, 6) })
    expect(await search("z", { offset: 10 })).toEqual({ count: 7, ids: [] })
    expect(await search("z", { has_account: true })).toEqual({ count: 3, ids: [zak[1], zak[0], inEmail[1]] })
    expect(await search("_")).toEqual({ count: 1, ids: [inEmail[1]] })
    expect(await search("%")).toEqual({ count: 0, ids: [] })
  })

  it("keeps an explicit order over relevance", async () => {
    const a = await seedCustomer({ last_name: "Yost", email: "a@x.io" })
    const b = await seedCustomer({ last_name: "Yostel", email: "yost@x.io" })
    expect((await search("yost", { order: "email" })).ids).toEqual([a, b])
    expect((await search("yost", { order: "-email" })).ids).toEqual([b, a])
  })

  it("counts every match exactly while paging", async () => {
    const yosts: string[] = []
    for (let i = 0; i < 23; i++) yosts.push(await seedCustomer({ last_name: "Yost", first_name: `Kid${i}` }))
    await seedCustomer({ last_name: "Smith" })
    const pages = []
    for (let offset = 0; offset < 30; offset += 10) pages.push(await list({ q: "yost", limit: 10, offset }))
    expect(pages.map((p) => [p.count, p.customers.length])).toEqual([
      [23, 10],
      [23, 10],
      [23, 3],
    ])
    expect(pages.flatMap((p) => ids(p.customers)).sort()).toEqual([...yosts].sort())
    const past = await list({ q: "yost", limit: 10, offset: 40 })
    expect([past.count, past.customers.length]).toEqual([23, 0])
  })

  it("combines q with every filter", async () => {
    const group = await seedGroup("VIP")
    const t = (iso: string) => new Date(iso)
    const vip = await seedCustomer({ last_name: "Yost", has_account: true, email: "vip@yost.io", created_at: t("2024-03-01T00:00:00Z") })
    const guest = await seedCustomer({ last_name: "Yost", has_account: false, email: "guest@yost.io", created_at: t("2024-05-01T00:00:00Z") })
    const other = await seedCustomer({ last_name: "Smith", has_account: true, email: "s@x.io", created_at: t("2024-04-01T00:00:00Z") })
    await addToGroup(group, vip)
    await addToGroup(group, other)
    expect(await search("yost", { has_account: true })).toEqual({ count: 1, ids: [vip] })
    expect(await search("yost", { has_account: false })).toEqual({ count: 1, ids: [guest] })
    expect(await search("yost", { groups: [group] })).toEqual({ count: 1, ids: [vip] })
    expect(await search("yost", { created_at: { gt: "2024-04-01T00:00:00Z" } })).toEqual({ count: 1, ids: [guest] })
    expect(await search("yost", { created_at: { lte: "2024-04-01T00:00:00Z" } })).toEqual({ count: 1, ids: [vip] })
    expect(await search("yost", { email: "GUEST@yost.io" })).toEqual({ count: 1, ids: [guest] })
    expect(await search("smith", { groups: [group], has_account: true })).toEqual({ count: 1, ids: [other] })
  })

  it("keeps a deep offset page identical to walking the list forwards", async () => {
    const all: string[] = []
    for (let i = 0; i < 12; i++) all.push(await seedCustomer())
    const newestFirst = [...all].reverse()
    for (const [offset, limit] of [[0, 5], [4, 3], [7, 4], [9, 5], [11, 1], [12, 5]]) {
      const page = await list({ offset, limit })
      expect([offset, page.count, ids(page.customers)]).toEqual([offset, 12, newestFirst.slice(offset, offset + limit)])
    }
    const oldestFirst = await list({ order: "created_at", offset: 8, limit: 3 })
    expect(ids(oldestFirst.customers)).toEqual(all.slice(8, 11))
    const accounts = await list({ has_account: false, offset: 10, limit: 5 })
    expect([accounts.count, ids(accounts.customers)]).toEqual([12, newestFirst.slice(10)])
  })
})
