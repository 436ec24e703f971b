import type { EntityManager } from "typeorm"
import { findCustomerIds, SEARCH_COLUMNS_RECHECK_MS, searchRows, searchTexts } from "../customer-list"
import { searchTerms } from "../customer-search"

const config = { relations: [], skip: 0, take: 50 }
const page = [{ id: "cus_1", total: "1" }]
const T0 = new Date("2026-11-29T12:00:00Z").getTime()

/**
 * A manager over a database whose stored texts are indexed while `columns()`
 * says so, and whose inlined ranking functions exist while `inline()` does.
 */
function manager(state: { columns: () => boolean; inline: () => boolean }, inTransaction = false) {
  const statements: string[] = []
  const query = jest.fn(async (sql: string) => {
    if (sql.includes("pg_index")) {
      statements.push("ready?")
      return [{ ready: state.columns() }]
    }
    const kind = sql.includes("search_name") ? "columns" : sql.includes("_inline(") ? "inline" : "functions"
    statements.push(kind)
    if (kind === "inline" && !state.inline()) {
      throw Object.assign(new Error("function customers_norm_inline(character varying) does not exist"), { code: "42883" })
    }
    return page
  })
  const m = { connection: {}, query, queryRunner: inTransaction ? { isTransactionActive: true } : undefined }
  return { manager: m as unknown as EntityManager, statements }
}

async function search(m: EntityManager) {
  return await searchRows(m, {}, searchTerms("yost")!, config, "substring", await searchTexts(m))
}

describe("where searches read the normalised texts", () => {
  afterEach(() => jest.useRealTimers())

  it("reads the stored texts once their indexes are valid, asking again every few seconds until then, then never", async () => {
    jest.useFakeTimers({ now: T0 })
    let columns = false
    const { manager: m, statements } = manager({ columns: () => columns, inline: () => true })
    await search(m)
    await search(m)
    expect(statements).toEqual(["ready?", "inline", "inline"])
    columns = true // the builder is done
    jest.setSystemTime(T0 + SEARCH_COLUMNS_RECHECK_MS + 1)
    await search(m)
    await search(m)
    expect(statements.slice(3)).toEqual(["ready?", "columns", "columns"])
    jest.setSystemTime(T0 + 100 * SEARCH_COLUMNS_RECHECK_MS)
    await search(m)
    expect(statements.slice(6)).toEqual(["columns"])
  })

  it("ranks through the indexed functions while the inlined ones are missing, and tries them again after a minute", async () => {
    jest.useFakeTimers({ now: T0 })
    let inline = false
    const { manager: m, statements } = manager({ columns: () => false, inline: () => inline })
    expect(await search(m)).toEqual(page)
    expect(await search(m)).toEqual(page)
    expect(statements.filter((s) => s !== "ready?")).toEqual(["inline", "functions", "functions"])

    inline = true // the migration has run
    jest.setSystemTime(T0 + 59_000)
    await search(m)
    expect(statements.filter((s) => s !== "ready?").slice(3)).toEqual(["functions"])
    jest.setSystemTime(T0 + 61_000)
    await search(m)
    await search(m)
    expect(statements.filter((s) => s !== "ready?").slice(4)).toEqual(["inline", "inline"])
  })

  it("does not retry inside a transaction (the failed statement aborted it), but remembers", async () => {
    const { manager: m, statements } = manager({ columns: () => false, inline: () => false }, true)
    await expect(search(m)).rejects.toThrow(/customers_norm_inline/)
    expect(await search(m)).toEqual(page)
    expect(statements.filter((s) => s !== "ready?")).toEqual(["inline", "functions"])
  })

  it("passes any other failure on, untouched and unremembered", async () => {
    const other = Object.assign(new Error("function customers_norm(text) does not exist"), { code: "42883" })
    const statements: string[] = []
    const query = jest.fn(async (sql: string) => {
      if (sql.includes("pg_index")) return [{ ready: false }]
      statements.push(sql.includes("_inline(") ? "inline" : "functions")
      throw other
    })
    const m = { connection: {}, query } as unknown as EntityManager
    await expect(search(m)).rejects.toBe(other)
    await expect(search(m)).rejects.toBe(other)
    expect(statements).toEqual(["inline", "inline"])
  })
})

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
