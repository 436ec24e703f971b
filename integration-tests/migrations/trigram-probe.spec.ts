import { closeDb, db } from "../setup/context"

/*
 * The pattern the trigram indexes are asked with (queries/customer-search.ts,
 * trigramProbe), evaluated by the migrated test database's own customers_norm.
 * A probe a text containing `q` does not match would lose customers: every
 * probe here is checked against texts that contain its `q`.
 */
const { trigramProbe } = require("../../dist/queries/customer-search")

type Pg = { query: (sql: string, params?: unknown[]) => Promise<{ rows: any[] }> }

async function probeOf(pg: Pg, q: string): Promise<string> {
  const { rows } = await pg.query(`SELECT ${trigramProbe("customers_norm($1)")} AS probe`, [q])
  return rows[0].probe
}

/** Whether `doc` (as stored: normalised) matches the probe of `q`, and contains `q` normalised. */
async function matches(pg: Pg, q: string, doc: string): Promise<{ probe: boolean; contains: boolean }> {
  const { rows } = await pg.query(
    `SELECT customers_norm($2) LIKE ${trigramProbe("customers_norm($1)")} AS probe,
            strpos(customers_norm($2), customers_norm($1)) > 0 AS contains`,
    [q, doc]
  )
  return rows[0]
}

describe("the trigram probe of a search text", () => {
  afterAll(closeDb)

  it("drops the word boundaries of words of three characters or more, and samples long digit runs", async () => {
    const pg = await db()
    expect(await probeOf(pg, "Caterina Yost")).toBe("%caterina%yost%")
    expect(await probeOf(pg, "Zoë Müller-García")).toBe("%zoe%muller%garcia%")
    expect(await probeOf(pg, "yost-family")).toBe("%yost%family%")
    // the first, middle and last three digits
    expect(await probeOf(pg, "5558675309")).toBe("%555%867%309%")
    expect(await probeOf(pg, "555867530")).toBe("%555%867%530%")
    expect(await probeOf(pg, "0049304017570")).toBe("%004%040%570%")
  })

  it("keeps the whole text, escaped, where a word is shorter or there is nothing to drop", async () => {
    const pg = await db()
    expect(await probeOf(pg, "Ann Li")).toBe("%ann li%")
    expect(await probeOf(pg, "yost")).toBe("%yost%")
    expect(await probeOf(pg, "55586753")).toBe("%55586753%")
    expect(await probeOf(pg, "a")).toBe("%a%")
    expect(await probeOf(pg, "50%_off")).toBe("%50\\%\\_off%")
    expect(await probeOf(pg, "back\\slash")).toBe("%back%slash%")
    expect(await probeOf(pg, "x\\y")).toBe("%x\\\\y%")
    // what unaccent turns into a wildcard (＿ → _) is escaped, not a wildcard
    expect(await probeOf(pg, "a＿c")).toBe("%a\\_c%")
  })

  it("is matched by every text that contains the search text, and the exact check keeps only those", async () => {
    const pg = await db()
    const cases: [string, string, boolean][] = [
      // q, a stored text, whether it contains q
      ["Caterina Yost", "Caterina Yost", true],
      ["caterina yost", "Ana-Caterina Yostberg", true],
      ["Caterina Yost", "Caterina Ana Yost", false],
      ["zoe muller", "Zoë Müller-García", true],
      ["Zoë Müller-García", "dr. zoe muller-garcia jr", true],
      ["yost-family", "the.yost-family@example.com", true],
      ["yost-family", "yost.family@example.com", false],
      ["5558675309", "15558675309", true],
      ["5558675309", "555867530", false],
      ["5558675309", "5558675300", false],
      ["(555) 867-5309", "call (555) 867-5309", true],
      ["Ann Li", "Joann Lind", true],
      ["Ann Li", "Ann Lo", false],
      ["50%_off", "50%_off@example.com", true],
      ["50%_off", "50xxoff@example.com", false],
      ["a＿c", "a_c", true],
      ["a＿c", "abc", false],
      ["O'Brien Smith", "Seán O'Brien Smith", true],
      ["Straße", "strasse", true],
      ["Straße", "strase", false],
      ["Иван Петров", "Иван Петров-Водкин", true],
      ["Иван Петров", "Иван Петрова", true],
      ["Иван Петров", "Иван Сидоров", false],
    ]
    for (const [q, doc, contains] of cases) {
      const found = await matches(pg, q, doc)
      // a text containing q always matches the probe: the index finds it
      if (contains) expect({ q, doc, ...found }).toEqual({ q, doc, probe: true, contains: true })
      else expect({ q, doc, contains: found.contains }).toEqual({ q, doc, contains: false })
    }
    // texts the probe lets through although they do not contain q: strpos drops them
    for (const [q, doc] of [
      ["Caterina Yost", "Caterina Ana Yost"],
      ["5558675309", "5558675300309"],
      ["yost-family", "yost.family@example.com"],
    ]) {
      expect({ q, doc, ...(await matches(pg, q, doc)) }).toEqual({ q, doc, probe: true, contains: false })
    }
  })

  it("finds what the plain pattern finds, for random search texts and texts that contain them or not", async () => {
    const pg = await db()
    // letters, digits, accents, spaces, punctuation and LIKE's own characters
    const alphabet = ["a", "b", "e", "é", "ß", "5", "0", "9", " ", "-", ".", "%", "_", "\\", "'", "＿", "Ø", "ж"]
    const digits = "0123456789".split("")
    let seed = 12345
    const random = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) & 0x7fffffff
      return seed % n
    }
    const word = (length: number, pool = alphabet) => Array.from({ length }, () => pool[random(pool.length)]).join("")
    const qs: string[] = []
    const docs: string[] = []
    for (let i = 0; i < 600; i++) {
      // every third a run of digits, as a phone number is typed
      const pool = i % 3 === 0 ? digits : alphabet
      const q = word(1 + random(14), pool).trim().replace(/\s+/g, " ") || "a"
      qs.push(q)
      // half the texts contain q, the others are as long and made of the same characters
      docs.push(i % 2 === 0 ? `${word(random(5), pool)}${q}${word(random(5), pool)}` : word(q.length + random(8), pool))
    }
    expect(new Set(qs).size).toBeGreaterThan(450)
    const { rows } = await pg.query(
      `SELECT t.q, t.doc,
              customers_norm(t.doc) LIKE ${trigramProbe("customers_norm(t.q)")} AS probe,
              strpos(customers_norm(t.doc), customers_norm(t.q)) > 0 AS contains,
              customers_norm(t.doc) LIKE '%' || replace(replace(replace(customers_norm(t.q), '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' AS plain
         FROM unnest($1::text[], $2::text[]) AS t(q, doc)`,
      [qs, docs]
    )
    // the probe with strpos keeps exactly what the plain pattern matches, and lets all of those through
    expect(rows.filter((r) => (r.probe && r.contains) !== r.plain || (r.plain && !r.probe))).toEqual([])
    // both kinds are there: some match, some do not
    expect(rows.filter((r) => r.plain).length).toBeGreaterThan(250)
    expect(rows.filter((r) => !r.plain).length).toBeGreaterThan(100)
  })
})
