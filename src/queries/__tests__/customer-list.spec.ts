import type { EntityManager } from "typeorm"
import { findCustomerIds } from "../customer-list"

const config = { relations: [], skip: 0, take: 50 }

describe("a broad q (one or two characters)", () => {
  /**
   * A manager that answers the statistics, the survey, the page and the count, and records
   * each statement and how many of the page and count ran at once.
   */
  function recording(inQueryRunner: boolean) {
    const statements: string[] = []
    let running = 0
    let most = 0
    const query = jest.fn(async (sql: string) => {
      if (sql.includes("pg_stats")) return []
      if (sql.includes("reltuples")) return [{ reltuples: 1000 }]
      statements.push(sql)
      if (sql.includes("TABLESAMPLE")) return [{ text: "a", unfilled: false, sample: { "-1": 10, "3": 5 } }]
      most = Math.max(most, ++running)
      await new Promise((resolve) => setTimeout(resolve, 5))
      running -= 1
      return sql.startsWith("SELECT count(*)") ? [{ total: "7" }] : [{ id: "cus_1" }]
    })
    const m = { connection: {}, query, queryRunner: inQueryRunner ? { isTransactionActive: true } : undefined }
    return { manager: m as unknown as EntityManager, statements, most: () => most }
  }

  it("samples first, then reads its page without a window and its count in a statement of its own, at once on the pool", async () => {
    const { manager: m, statements, most } = recording(false)
    expect(await findCustomerIds(m, { q: "a" }, config)).toEqual({ ids: ["cus_1"], count: 7 })
    expect(statements).toHaveLength(3)
    expect(statements[0]).toContain("TABLESAMPLE SYSTEM")
    expect(statements[1]).toMatch(/^SELECT u\.id FROM \(/)
    expect(statements[1]).not.toContain("OVER ()")
    // no function of the plugin's (PARALLEL UNSAFE) in the count: PostgreSQL may run it with workers
    expect(statements[2]).toMatch(/^SELECT count\(\*\) AS total FROM customer c WHERE /)
    expect(statements[2]).not.toContain("customers_")
    expect(most()).toBe(2)
  })

  it("runs the page and the count one after the other on a query runner's single connection", async () => {
    const { manager: m, statements, most } = recording(true)
    expect(await findCustomerIds(m, { q: "é" }, config)).toEqual({ ids: ["cus_1"], count: 7 })
    expect(statements).toHaveLength(3)
    expect(most()).toBe(1)
  })

  it("takes two characters the same way", async () => {
    const { manager: m, statements } = recording(false)
    expect(await findCustomerIds(m, { q: "ab" }, config)).toEqual({ ids: ["cus_1"], count: 7 })
    expect(statements).toHaveLength(3)
    expect(statements[0]).toContain("TABLESAMPLE SYSTEM")
  })
})

describe("a plain list's page", () => {
  const column = (name: string, type: unknown) => ({ propertyName: name, databaseName: name, type, isSelect: true, isVirtual: false })

  /** A manager whose Customer has a few columns PostgreSQL can write as JSON, recording each statement. */
  function plainManager() {
    const metadata = { columns: [column("id", String), column("created_at", "timestamp with time zone"), column("metadata", "jsonb")], embeddeds: [] }
    const statements: string[] = []
    const query = jest.fn(async (sql: string) => {
      statements.push(sql)
      return sql.includes("customer_count") ? [{ total: "9" }] : []
    })
    return { manager: { connection: { getMetadata: () => metadata }, query } as unknown as EntityManager, statements }
  }

  it.each([
    ["json", 0, 2, /^SELECT c\.id, row_to_json\(r\)::text AS json/],
    ["json", 2, 2, /^SELECT c\.id, row_to_json\(r\)::text AS json/],
    ["json", 3, 2, /^SELECT p\.\*, j\.\* FROM \(SELECT page\.\*/],
    ["rows", 2, 2, /^SELECT c\.id, c\."id", c\."created_at", c\."metadata" FROM customer c WHERE/],
    ["rows", 3, 2, /^SELECT c\.id FROM customer c WHERE/],
    ["ids", 0, 2, /^SELECT c\.id FROM customer c WHERE/],
  ] as const)("asked for %s, skipping %i rows of %i, selects them in its own scan only when it skips no more than it returns", async (content, skip, take, shape) => {
    const { manager: m, statements } = plainManager()
    expect(await findCustomerIds(m, {}, { relations: [], skip, take }, undefined, content)).toEqual({
      ids: [],
      count: 9,
      ...(content === "json" ? { json: [] } : {}),
      ...(content === "rows" && skip <= take ? { rows: [] } : {}),
    })
    expect(statements.filter((sql) => !sql.includes("customer_count"))).toEqual([expect.stringMatching(shape)])
  })
})
