import { digitsProbe, searchPage, searchTerms, trigramProbe } from "../customer-search"
import { listCount, listPage } from "../list-statements"
import { metadataPatch } from "../customer-update"

const config = { relations: [], skip: 0, take: 50 }
/** Parameter `$n` normalised, then escaped for LIKE. */
const literal = (n: number) => `replace(replace(replace(customers_norm($${n}), '\\', '\\\\'), '%', '\\%'), '_', '\\_')`
/** `doc` contains parameter `$n` normalised: the index asked with the probe, then strpos. */
const CONTAINS = (doc: string, n: number) => `${doc} LIKE ${trigramProbe(`customers_norm($${n})`)} AND strpos(${doc}, customers_norm($${n})) > 0`

describe("searchTerms", () => {
  it("collapses whitespace and recognises phone digits and ids", () => {
    expect(searchTerms("  Caterina   Yost ")).toEqual({ text: "Caterina Yost", digits: undefined, id: undefined })
    expect(searchTerms("+1 (555) 010-4477")).toEqual({ text: "+1 (555) 010-4477", digits: "15550104477", id: undefined })
    expect(searchTerms("12")).toEqual({ text: "12", digits: undefined, id: undefined })
    expect(searchTerms("cus_01ABC")).toEqual({ text: "cus_01ABC", digits: undefined, id: "cus_01ABC" })
    expect(searchTerms("   ")).toBeUndefined()
    expect(searchTerms(undefined)).toBeUndefined()
  })
})

describe("searchPage", () => {
  it("escapes LIKE wildcards in the pattern and ranks by relevance, newest first", () => {
    const { sql, params } = searchPage({}, searchTerms("50%_off")!, config, "substring")
    // escaped after normalising, in SQL: unaccent turns some characters into % _ \ (＿ → _)
    expect(params).toEqual(["50%_off", "50%_off", "50%_off", "50%_off", 50, 0])
    expect(trigramProbe("t")).toContain(`ELSE '%' || replace(replace(replace(t, '\\', '\\\\'), '%', '\\%'), '_', '\\_') || '%' END`)
    expect(sql).toContain(`LIKE ${literal(3)} || '%'`)
    expect(sql).toContain("count(*) OVER () AS total")
    // the exact and prefix email tests read lower(email), as typed ($4): what its btree index answers
    expect(sql).toContain("ORDER BY CASE WHEN s.email_lower = lower($4) THEN 0 WHEN s.email_lower LIKE replace(replace(replace(lower($4)")
    expect(sql).toMatch(/ORDER BY CASE WHEN .* END, CASE WHEN s\.name_doc LIKE .* THEN similarity\(s\.name_doc, .*\) ELSE -1 END DESC, s\.created_at DESC, s\.id DESC LIMIT \$5 OFFSET \$6$/s)
    // similarity ranks the matches in the name only: the same escaped text, as a substring
    expect(sql).toContain(`CASE WHEN s.name_doc LIKE '%' || ${literal(3)} || '%' THEN similarity(s.name_doc, customers_norm($2)) ELSE -1 END DESC`)
    // the stored texts are read once per match, in a subquery the planner keeps, and matched as stored
    expect(sql).toMatch(
      /lower\(c\.email\) AS email_lower, coalesce\(c\.search_name, customers_name_doc\(c\.first_name, c\.last_name\)\) AS name_doc, coalesce\(c\.search_last_name, customers_norm\(c\.last_name\)\) AS last_doc FROM .* OFFSET 0\) s/s
    )
    expect(sql).toContain(`((${CONTAINS("c.search_name", 1)}) OR (${CONTAINS("c.search_email", 1)}) OR (c.search_name IS NULL AND (`)
  })

  it("matches the stored texts, and the texts computed from a row that has none stored", () => {
    const { sql, params } = searchPage({}, searchTerms("555 867")!, config, "substring")
    expect(sql).toContain(
      `((${CONTAINS("c.search_name", 1)}) OR (c.search_email LIKE '% %' AND ${CONTAINS("c.search_email", 1)}) OR (c.search_phone IS NOT NULL AND c.search_phone LIKE $2)` +
        ` OR (c.search_name IS NULL AND ((${CONTAINS("customers_name_doc(c.first_name, c.last_name)", 1)}) OR (${CONTAINS("customers_norm(c.email)", 1)})` +
        ` OR (customers_digits(c.phone) IS NOT NULL AND customers_digits(c.phone) LIKE $2))))`
    )
    expect(params.slice(0, 2)).toEqual(["555 867", "%555867%"])
    expect(sql).toContain("coalesce(c.search_phone, customers_digits(c.phone)) AS phone_doc FROM")
    const long = searchPage({}, searchTerms("555 867 5309")!, config, "substring")
    expect(long.sql).toContain("(c.search_phone IS NOT NULL AND c.search_phone LIKE $2 AND strpos(c.search_phone, $3) > 0)")
    expect(long.params.slice(1, 3)).toEqual(["%555%867%309%", "5558675309"])
  })

  it("asks the indexes with the plain pattern for one word of letters or digits, with a probe and strpos otherwise", () => {
    for (const q of ["Yost", "Zoë", "gmail", "555867530x", "55586753"]) {
      const { sql } = searchPage({}, searchTerms(q)!, config, "substring")
      expect(sql).toContain(`((c.search_name LIKE '%' || ${literal(1)} || '%') OR (c.search_email LIKE '%' || ${literal(1)} || '%')`)
      expect(sql).not.toContain("strpos")
    }
    for (const q of ["yost-family", "o'brien", "5558675309"]) {
      expect(searchPage({}, searchTerms(q)!, config, "substring").sql).toContain(`((${CONTAINS("c.search_name", 1)}) OR (${CONTAINS("c.search_email", 1)})`)
    }
  })

  it("looks for a text with a space only among the emails with one (their own index)", () => {
    const full = searchPage({}, searchTerms("Caterina  Yost")!, config, "substring")
    expect(full.sql).toContain(`((${CONTAINS("c.search_name", 1)}) OR (c.search_email LIKE '% %' AND ${CONTAINS("c.search_email", 1)}) OR (c.search_name IS NULL`)
    expect(listCount({}, searchTerms("Caterina Yost")!).sql).toContain(`(c.search_email LIKE '% %' AND ${CONTAINS("c.search_email", 1)})`)
    expect(searchPage({}, searchTerms("Yost")!, config, "substring").sql).not.toContain("'% %'")
    // a row without stored texts is matched by its computed email, whatever it holds
    expect(full.sql).toContain(`(c.search_name IS NULL AND ((${CONTAINS("customers_name_doc(c.first_name, c.last_name)", 1)}) OR (${CONTAINS("customers_norm(c.email)", 1)})))`)
  })

  it("uses the explicit order when one is given, and the fuzzy operator in fuzzy mode", () => {
    const explicit = searchPage({}, searchTerms("yost")!, { ...config, order: { email: "ASC", id: "ASC" } }, "substring")
    expect(explicit.sql).toMatch(/SELECT c\.id, c\.created_at, c\.email FROM customer c WHERE .* OFFSET 0\) s\s+ORDER BY s\.email ASC, s\.id ASC LIMIT/s)
    const fuzzy = searchPage({}, searchTerms("catrina yost")!, config, "fuzzy")
    expect(fuzzy.sql).toContain(
      "(customers_norm($1) <% c.search_name OR (c.search_name IS NULL AND customers_norm($1) <% customers_name_doc(c.first_name, c.last_name)))"
    )
  })
})

describe("digitsProbe", () => {
  it("asks for the first, middle and last three of nine digits or more, for all of them below", () => {
    expect(digitsProbe("5558675309")).toBe("%555%867%309%")
    expect(digitsProbe("555867530")).toBe("%555%867%530%")
    expect(digitsProbe("0049304017570")).toBe("%004%040%570%")
    expect(digitsProbe("55586753")).toBe("%55586753%")
    expect(digitsProbe("555")).toBe("%555%")
  })
})

describe("order columns", () => {
  it("refuses a column or direction the API would never pass, whoever calls", () => {
    const bad = { ...config, order: { 'email; DROP TABLE customer; --': "ASC" } } as never
    expect(() => searchPage({}, searchTerms("yost")!, bad, "substring")).toThrow("Cannot order customers by email; DROP TABLE customer; -- ASC")
    expect(() => listPage({}, { ...config, order: { email: "SIDEWAYS" } } as never)).toThrow("Cannot order customers by email SIDEWAYS")
    expect(() => listPage({}, { ...config, order: { password_hash: "ASC" } } as never)).toThrow("Cannot order customers by password_hash ASC")
  })
})

describe("listPage and listCount", () => {
  it("reads a deep page from the far end with the mirrored order", () => {
    expect(listPage({}, config, true, 99950, 50).sql).toMatch(/ORDER BY c\.created_at ASC, c\.id ASC LIMIT \$1 OFFSET \$2$/)
  })

  it("selects the columns asked for in the page's own scan", () => {
    const columns = { select: "row_to_json(r)::text AS json", from: "customer c CROSS JOIN LATERAL (SELECT c.email) r" }
    expect(listPage({ has_account: true }, config, false, 0, 50, columns)).toEqual({
      sql: expect.stringMatching(
        /^SELECT c\.id, row_to_json\(r\)::text AS json FROM customer c CROSS JOIN LATERAL \(SELECT c\.email\) r WHERE c\.deleted_at IS NULL AND c\.has_account = \$1\s+ORDER BY c\.created_at DESC, c\.id DESC LIMIT \$2 OFFSET \$3$/
      ),
      params: [true, 50, 0],
    })
  })

  it("counts from the counters unless a filter needs a scan", () => {
    expect(listCount({}).sql).toBe("SELECT coalesce(sum(n), 0)::bigint AS total FROM customer_count")
    expect(listCount({ has_account: true })).toEqual({
      sql: "SELECT coalesce(sum(n), 0)::bigint AS total FROM customer_count WHERE has_account = $1",
      params: [true],
    })
    expect(listCount({ groups: ["g"] }).params).toEqual([["g"]])
    expect(listCount({ groups: ["g"] }).sql).toMatch(/^SELECT \(SELECT count\(customer_id\) FROM customer_group_customers/)
    expect(listCount({ groups: ["g", "h"] }).sql).toContain("count(DISTINCT customer_id)")
    expect(listCount({ groups: ["g"], has_account: true }).sql).toMatch(/^SELECT count\(\*\)::bigint AS total FROM customer c WHERE c\.deleted_at IS NULL AND c\.has_account = \$1 AND c\.id IN/)
  })
})

describe("metadataPatch", () => {
  it("splits removals (empty strings) from values to merge", () => {
    expect(metadataPatch({ a: 1, b: "", c: { d: "" } })).toEqual({ patch: { a: 1, c: { d: "" } }, removed: ["b"] })
  })
})
