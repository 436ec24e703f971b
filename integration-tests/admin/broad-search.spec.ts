import { Pool } from "pg"
import { seedCustomer } from "../factories/customer"
import { closeDb, db, resetCustomers, testEnv } from "../setup/context"

/*
 * Broad searches (queries/broad-search.ts) against a ranking spelled out in plain
 * SQL over every row (its own lower-casing and unaccenting, not the plugin's): the same customers, in the same order, and the same count,
 * for texts broad and narrow, short and long, with filters, offsets and an explicit
 * order, with and without rows whose search texts are not stored yet. The store's
 * own code runs here (findCustomerIds from dist/) on the migrated test database.
 */
const { findCustomerIds } = require("../../dist/queries/customer-list")
const { searchBreadth, forgetSearchStats } = require("../../dist/queries/search-breadth")
const { searchTerms } = require("../../dist/queries/customer-search")

const FIRST = ["Anna", "Mark", "Zoë", "Ola", "Jon", "Ann", "Maria", "Bo"]
const LAST = ["Johnson", "Anders", "Müller", "Oakes", "Lee", "Annan", "Smith", "Ng"]
const DOMAINS = ["gmail.com", "gmail.com", "shop.io", "mail.de", "annex.org"]

type Row = { id: string }
/** The texts docs/search.md describes, from the columns as stored: lower case, without accents (not the plugin's functions or stored texts). */
const plain = (value: string) => `lower(unaccent(${value}))`
const TEXTS = `${plain("coalesce(c.first_name, '') || ' ' || coalesce(c.last_name, '')")} AS name,
               ${plain("c.email")} AS email,
               ${plain("c.last_name")} AS last`

/** The ranking of docs/search.md over every live customer, in plain SQL; `short`: name matches newest first. */
async function expected(pool: Pool, q: string, where: string, skip: number, take: number): Promise<{ ids: string[]; count: number }> {
  const short = [...q].length <= 2
  const { rows } = await pool.query(
    `WITH t AS (SELECT ${plain("$1")} AS t, lower($1) AS typed),
          m AS (SELECT c.id, c.created_at, lower(c.email) AS lower_email, ${TEXTS} FROM customer c WHERE c.deleted_at IS NULL AND ${where})
     SELECT m.id, count(*) OVER () AS total FROM m, t
      WHERE strpos(m.name, t.t) > 0 OR strpos(m.email, t.t) > 0
      ORDER BY CASE WHEN m.lower_email = t.typed THEN 0
                    WHEN left(m.lower_email, length(t.typed)) = t.typed OR left(m.name, length(t.t)) = t.t OR left(m.last, length(t.t)) = t.t THEN 1
                    ELSE 2 END,
               CASE WHEN strpos(m.name, t.t) > 0 THEN ${short ? "0" : "similarity(m.name, t.t)"} ELSE -1 END DESC,
               m.created_at DESC, m.id DESC`,
    [q]
  )
  return { ids: rows.slice(skip, skip + take).map((r: Row) => r.id), count: rows.length ? Number(rows[0].total) : 0 }
}

describe("broad searches: the same customers, order and count as the ranking spelled out", () => {
  let pool: Pool
  const manager = () => ({ query: (sql: string, params?: unknown[]) => pool.query(sql, params).then((r) => r.rows) })
  const found = async (q: string, filters: Record<string, unknown>, skip: number, take: number, order?: Record<string, string>) => {
    const page = await findCustomerIds(manager(), { ...filters, q }, { skip, take, relations: [], order }, { fuzzySearch: true, deepOffset: 10_000 })
    return { ids: page.ids, count: page.count }
  }

  beforeAll(async () => {
    pool = new Pool({ connectionString: testEnv().databaseUrl, max: 4 })
    await resetCustomers()
    // 400 customers whose names, emails and creation times repeat in different rhythms
    for (let i = 0; i < 400; i++) {
      const first = FIRST[i % FIRST.length]
      const last = LAST[(i * 3) % LAST.length]
      await seedCustomer({
        first_name: first,
        last_name: last,
        email: `${i % 7 === 0 ? "gm" : first.toLowerCase()}.${i}@${DOMAINS[i % DOMAINS.length]}`,
        phone: i % 4 === 0 ? `+1 555 01${String(i).padStart(3, "0")}` : null,
        has_account: i % 3 === 0,
        created_at: new Date(Date.UTC(2024, 0, 1) + ((i * 7919) % 400) * 3_600_000),
      })
    }
    // an email equal to a text, and one that starts with it
    await seedCustomer({ first_name: "Exact", last_name: "Case", email: "An@x.io" })
    await seedCustomer({ first_name: "Pre", last_name: "Fix", email: "GMAILER@x.io" })
    await (await db()).query("ANALYZE customer")
    forgetSearchStats()
  })

  afterAll(async () => {
    await pool.end()
    await resetCustomers()
    await closeDb()
  })

  it("takes the broad path for texts of one or two characters and for a fragment most customers have", async () => {
    const broad = async (q: string) => (await searchBreadth(manager(), searchTerms(q))).broad
    expect([await broad("a"), await broad("an"), await broad("gmail"), await broad("Zoltan Q")]).toEqual([true, true, true, false])
  })

  it.each(["a", "an", "An", "o", "gmail", "GMAIL", "ann", "zq", "5", "_", "%"])("q=%s: every page as ranked, the count exact", async (q) => {
    const want = await expected(pool, q, "true", 0, 1000)
    for (const [skip, take] of [[0, 20], [15, 10], [want.count - 3, 10], [want.count + 5, 10]]) {
      if (skip < 0) continue
      expect(await found(q, {}, skip, take)).toEqual(await expected(pool, q, "true", skip, take))
    }
  })

  it("combines with filters and keeps an explicit order", async () => {
    for (const q of ["a", "gmail"]) {
      expect(await found(q, { has_account: true }, 0, 25)).toEqual(await expected(pool, q, "c.has_account", 0, 25))
      expect(await found(q, { created_at: { gt: "2024-01-08T00:00:00Z" } }, 5, 10)).toEqual(
        await expected(pool, q, "c.created_at > '2024-01-08T00:00:00Z'", 5, 10)
      )
      const byEmail = await found(q, {}, 3, 7, { email: "ASC" })
      const { rows } = await pool.query(
        `SELECT c.id FROM customer c, LATERAL (SELECT ${TEXTS}) m
          WHERE c.deleted_at IS NULL AND (strpos(m.name, ${plain("$1")}) > 0 OR strpos(m.email, ${plain("$1")}) > 0)
          ORDER BY c.email ASC OFFSET 3 LIMIT 7`,
        [q]
      )
      expect(byEmail.ids).toEqual(rows.map((r: Row) => r.id))
    }
  })

  it("finds rows whose search texts are not stored yet (written with triggers disabled) the same way", async () => {
    // triggers off, as pg_restore --disable-triggers writes: no search texts, counters untouched both ways
    const withoutTriggers = async (sql: string) => {
      const client = await pool.connect()
      try {
        await client.query("SET session_replication_role = replica")
        await client.query(sql)
      } finally {
        await client.query("SET session_replication_role = DEFAULT")
        client.release()
      }
    }
    await withoutTriggers(
      `INSERT INTO customer (id, email, first_name, last_name, created_at, updated_at)
       VALUES ('cus_unfilled_1', 'anja@gmail.com', 'Anja', 'Oakes', '2024-03-01', '2024-03-01'),
              ('cus_unfilled_2', 'zed@annex.org', 'Zed', 'Ng', '2023-03-01', '2023-03-01')`
    )
    const { rows } = await pool.query("SELECT count(*)::int AS n FROM customer WHERE search_name IS NULL")
    expect(rows[0].n).toBe(2)
    for (const q of ["a", "an", "gmail"]) {
      const page = await found(q, {}, 0, 30)
      expect(page).toEqual(await expected(pool, q, "true", 0, 30))
      expect(page.ids).toContain("cus_unfilled_1")
    }
    await withoutTriggers("DELETE FROM customer WHERE id LIKE 'cus_unfilled_%'")
  })
})
