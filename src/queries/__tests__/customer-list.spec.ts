import type { EntityManager } from "typeorm"
import { findCustomerIds } from "../customer-list"

const config = { relations: [], skip: 0, take: 50 }

describe("a q of one character", () => {
  /** A manager over indexed stored texts that records each statement and how many ran at once. */
  function recording(inQueryRunner: boolean) {
    const statements: string[] = []
    let running = 0
    let most = 0
    const query = jest.fn(async (sql: string) => {
      if (sql.includes("pg_index")) return [{ ready: true }]
      statements.push(sql)
      most = Math.max(most, ++running)
      await new Promise((resolve) => setTimeout(resolve, 5))
      running -= 1
      return sql.startsWith("SELECT count(*)") ? [{ total: "7" }] : [{ id: "cus_1", total: "1" }]
    })
    const m = { connection: {}, query, queryRunner: inQueryRunner ? { isTransactionActive: true } : undefined }
    return { manager: m as unknown as EntityManager, statements, most: () => most }
  }

  it("reads its page without a window and its count as a statement of its own, at once on the pool", async () => {
    const { manager: m, statements, most } = recording(false)
    expect(await findCustomerIds(m, { q: "a" }, config)).toEqual({ ids: ["cus_1"], count: 7 })
    expect(statements).toHaveLength(2)
    expect(statements[0]).not.toContain("OVER ()")
    expect(statements[1]).toMatch(/^SELECT count\(\*\)::bigint AS total FROM customer c WHERE /)
    expect(most()).toBe(2)
  })

  it("runs the two one after the other on a query runner's single connection", async () => {
    const { manager: m, statements, most } = recording(true)
    expect(await findCustomerIds(m, { q: "é" }, config)).toEqual({ ids: ["cus_1"], count: 7 })
    expect(statements).toHaveLength(2)
    expect(most()).toBe(1)
  })

  it("leaves a q of two characters to one statement with its total", async () => {
    const { manager: m, statements } = recording(false)
    expect(await findCustomerIds(m, { q: "ab" }, config)).toEqual({ ids: ["cus_1"], count: 1 })
    expect(statements).toHaveLength(1)
    expect(statements[0]).toContain("count(*) OVER () AS total")
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
