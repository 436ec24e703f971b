import type { EntityManager } from "typeorm"

type Sent = { name: string; text: string; values: unknown[] }

/** A manager whose connections record what they are sent: a pg client's query by config, TypeORM's query. */
/** `failures`: what the client's successive queries throw (undefined: that one answers). */
function fakeManager({ inTransaction = false, failures = [] }: { inTransaction?: boolean; failures?: (Error | undefined)[] } = {}) {
  const sent: Sent[] = []
  const plain: { sql: string; params: unknown[] }[] = []
  const released: number[] = []
  const logged: string[] = []
  const client = {
    query: async (config: Sent) => {
      sent.push(config)
      const failure = failures.shift()
      if (failure) throw failure
      return { rows: [{ id: "cus_1" }] }
    },
  }
  const runner = (n: number) => ({ isReleased: false, connect: async () => client, release: async () => void released.push(n) })
  let made = 0
  const transactionRunner = runner(0)
  const manager = {
    queryRunner: inTransaction ? transactionRunner : undefined,
    connection: {
      createQueryRunner: () => runner(++made),
      logger: { logQuery: (sql: string) => void logged.push(`query ${sql}`), logQueryError: (err: Error, sql: string) => void logged.push(`error ${err.message} ${sql}`) },
    },
    query: async (sql: string, params: unknown[]) => {
      plain.push({ sql, params })
      return [{ id: "cus_plain" }]
    },
  }
  return { manager: manager as unknown as EntityManager, sent, plain, released, logged, transactionRunner }
}

describe("queryPrepared", () => {
  let queryPrepared: typeof import("../prepared").queryPrepared
  let typeorm: typeof import("typeorm")
  beforeEach(async () => {
    // a fresh module (and its TypeORM, whose error classes it throws): the set of prepared texts is the process's
    await jest.isolateModulesAsync(async () => {
      ;({ queryPrepared } = await import("../prepared"))
      typeorm = await import("typeorm")
    })
  })

  it("sends a statement named after its text, on a pool connection it releases, through the store's query logger", async () => {
    const { manager, sent, plain, released, logged } = fakeManager()
    expect(await queryPrepared(manager, { sql: "SELECT 1 WHERE $1", params: ["a"] }, true)).toEqual([{ id: "cus_1" }])
    await queryPrepared(manager, { sql: "SELECT 1 WHERE $1", params: ["b"] }, true)
    await queryPrepared(manager, { sql: "SELECT 2 WHERE $1", params: ["c"] }, true)
    expect(sent.map((s) => [s.text, s.values])).toEqual([
      ["SELECT 1 WHERE $1", ["a"]],
      ["SELECT 1 WHERE $1", ["b"]],
      ["SELECT 2 WHERE $1", ["c"]],
    ])
    expect(sent[0].name).toMatch(/^mpc_0_[0-9a-f]{24}$/)
    expect(sent[1].name).toBe(sent[0].name)
    expect(sent[2].name).not.toBe(sent[0].name)
    expect(released).toEqual([1, 2, 3])
    expect(plain).toEqual([])
    expect(logged).toEqual(["query SELECT 1 WHERE $1", "query SELECT 1 WHERE $1", "query SELECT 2 WHERE $1"])
  })

  it("uses the transaction's connection and leaves it open", async () => {
    const { manager, sent, released } = fakeManager({ inTransaction: true })
    await queryPrepared(manager, { sql: "SELECT 3", params: [] }, true)
    expect(sent.map((s) => s.text)).toEqual(["SELECT 3"])
    expect(released).toEqual([])
  })

  it("refuses a transaction's connection that was released, as TypeORM does", async () => {
    const { manager, sent, transactionRunner } = fakeManager({ inTransaction: true })
    transactionRunner.isReleased = true
    await expect(queryPrepared(manager, { sql: "SELECT 3", params: [] }, true)).rejects.toBeInstanceOf(typeorm.QueryRunnerProviderAlreadyReleasedError)
    expect(sent).toEqual([])
  })

  it("sends the statement unprepared through TypeORM when prepared statements are off", async () => {
    const { manager, sent, plain } = fakeManager()
    expect(await queryPrepared(manager, { sql: "SELECT 4 WHERE $1", params: [7] }, false)).toEqual([{ id: "cus_plain" }])
    expect(plain).toEqual([{ sql: "SELECT 4 WHERE $1", params: [7] }])
    expect(sent).toEqual([])
  })

  it("turns a driver error into TypeORM's QueryFailedError with the driver's code, logged, the connection released", async () => {
    const driverError = Object.assign(new Error("duplicate key value violates unique constraint"), { code: "23505", constraint: "IDX_x" })
    const { manager, released, logged } = fakeManager({ failures: [driverError] })
    const err = await queryPrepared(manager, { sql: "SELECT 5", params: [] }, true).catch((e: unknown) => e)
    expect(err).toBeInstanceOf(typeorm.QueryFailedError)
    expect([(err as { code: string }).code, (err as { driverError: unknown }).driverError]).toEqual(["23505", driverError])
    expect(logged).toEqual(["query SELECT 5", "error duplicate key value violates unique constraint SELECT 5"])
    expect(released).toEqual([1])
  })

  it("prepares at most 100 texts; any other goes unprepared, the prepared ones stay prepared", async () => {
    const { manager, sent, plain } = fakeManager()
    for (let i = 0; i < 100; i++) await queryPrepared(manager, { sql: `SELECT ${i}`, params: [] }, true)
    await queryPrepared(manager, { sql: "SELECT 100", params: [] }, true)
    await queryPrepared(manager, { sql: "SELECT 0", params: [] }, true)
    expect(sent.length).toBe(101)
    expect(new Set(sent.map((s) => s.name)).size).toBe(100)
    expect([sent[100].text, sent[100].name]).toEqual(["SELECT 0", sent[0].name])
    expect(plain).toEqual([{ sql: "SELECT 100", params: [] }])
  })

  const stale = () => Object.assign(new Error("cached plan must not change result type"), { code: "0A000" })

  it("sends a statement gone stale again at once under a new name, and every statement under new names from then on", async () => {
    const { manager, sent, released } = fakeManager({ failures: [undefined, stale()] })
    await queryPrepared(manager, { sql: "SELECT 6", params: [] }, true)
    expect(await queryPrepared(manager, { sql: "SELECT 7", params: [1] }, true)).toEqual([{ id: "cus_1" }])
    await queryPrepared(manager, { sql: "SELECT 6", params: [] }, true)
    expect(sent.map((s) => [s.text, s.values, s.name.split("_")[1]])).toEqual([
      ["SELECT 6", [], "0"],
      ["SELECT 7", [1], "0"],
      ["SELECT 7", [1], "1"],
      ["SELECT 6", [], "1"],
    ])
    expect(sent[2].name.split("_")[2]).toBe(sent[1].name.split("_")[2])
    expect(released).toEqual([1, 2, 3, 4])
  })

  it("inside a transaction, fails with a statement gone stale (the transaction failed with it), and prepares it afresh next time", async () => {
    const gone = Object.assign(new Error('prepared statement "mpc_0_x" does not exist'), { code: "26000" })
    const { manager, sent } = fakeManager({ inTransaction: true, failures: [gone] })
    const err = await queryPrepared(manager, { sql: "SELECT 8", params: [] }, true).catch((e: unknown) => e)
    expect([err instanceof typeorm.QueryFailedError, (err as { code: string }).code]).toEqual([true, "26000"])
    await queryPrepared(manager, { sql: "SELECT 8", params: [] }, true)
    expect(sent.map((s) => s.name.split("_")[1])).toEqual(["0", "1"])
  })

  it("does not send again a statement that failed otherwise (another 0A000 too)", async () => {
    const other = Object.assign(new Error("unsupported"), { code: "0A000" })
    const { manager, sent } = fakeManager({ failures: [other] })
    const err = await queryPrepared(manager, { sql: "SELECT 9", params: [] }, true).catch((e: unknown) => e)
    expect((err as { message: string }).message).toBe("unsupported")
    expect(sent.length).toBe(1)
  })
})
