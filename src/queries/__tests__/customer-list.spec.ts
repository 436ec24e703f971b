import type { EntityManager } from "typeorm"
import { searchRows } from "../customer-list"
import { searchTerms } from "../customer-search"

const config = { relations: [], skip: 0, take: 50 }
const page = [{ id: "cus_1", total: "1" }]

/** A manager whose database lacks the inlined ranking functions while `missing()` says so. */
function manager(missing: () => boolean, inTransaction = false) {
  const statements: string[] = []
  const connection = {}
  const query = jest.fn(async (sql: string) => {
    const inline = sql.includes("_inline(")
    statements.push(inline ? "inline" : "indexed")
    if (inline && missing()) {
      throw Object.assign(new Error("function customers_norm_inline(character varying) does not exist"), { code: "42883" })
    }
    return page
  })
  const m = { connection, query, queryRunner: inTransaction ? { isTransactionActive: true } : undefined }
  return { manager: m as unknown as EntityManager, statements }
}

const search = (m: EntityManager) => searchRows(m, {}, searchTerms("yost")!, config, "substring")

describe("searchRows without the inlined ranking functions", () => {
  afterEach(() => jest.useRealTimers())

  it("ranks through the indexed functions meanwhile, and tries the inlined ones again after a minute", async () => {
    jest.useFakeTimers({ now: new Date("2026-11-29T12:00:00Z") })
    let missing = true
    const { manager: m, statements } = manager(() => missing)
    expect(await search(m)).toEqual(page)
    expect(await search(m)).toEqual(page)
    expect(statements).toEqual(["inline", "indexed", "indexed"])

    missing = false // the migration has run
    jest.setSystemTime(new Date("2026-11-29T12:00:59Z"))
    await search(m)
    expect(statements.slice(3)).toEqual(["indexed"])
    jest.setSystemTime(new Date("2026-11-29T12:01:01Z"))
    await search(m)
    await search(m)
    expect(statements.slice(4)).toEqual(["inline", "inline"])
  })

  it("does not retry inside a transaction (the failed statement aborted it), but remembers", async () => {
    const { manager: m, statements } = manager(() => true, true)
    await expect(search(m)).rejects.toThrow(/customers_norm_inline/)
    expect(await search(m)).toEqual(page)
    expect(statements).toEqual(["inline", "indexed"])
  })

  it("passes any other failure on, untouched and unremembered", async () => {
    const other = Object.assign(new Error("function customers_norm(text) does not exist"), { code: "42883" })
    const statements: string[] = []
    const query = jest.fn(async (sql: string) => {
      statements.push(sql.includes("_inline(") ? "inline" : "indexed")
      throw other
    })
    const m = { connection: {}, query } as unknown as EntityManager
    await expect(search(m)).rejects.toBe(other)
    await expect(search(m)).rejects.toBe(other)
    expect(statements).toEqual(["inline", "inline"])
  })
})
