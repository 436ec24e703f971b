import { EventEmitter } from "events"
import type { DataSource } from "typeorm"
import { apiTokenCache, LISTENER_APPLICATION_NAME, listenForUserChanges } from "../user-changes-listener"

/** A stand-in for pg's Client: records what it is asked, answers the trigger check with `installed`. */
class FakeClient extends EventEmitter {
  static made: FakeClient[] = []
  static installed = true
  static failConstruction = false
  readonly queries: string[] = []
  ended = false

  constructor(readonly options: Record<string, unknown>) {
    super()
    if (FakeClient.failConstruction) throw new Error("bad options")
    FakeClient.made.push(this)
  }

  async connect(): Promise<void> {}

  async query(sql: string): Promise<{ rows: Record<string, unknown>[] }> {
    this.queries.push(sql.trim().split(/\s+/).slice(0, 2).join(" "))
    return { rows: sql.includes("pg_trigger") ? [{ installed: FakeClient.installed }] : [] }
  }

  async end(): Promise<void> {
    this.ended = true
  }
}

function fakeDataSource(): DataSource {
  // pg-pool keeps the password as a non-enumerable property of its options
  const options = { connectionString: "postgres://medusa@db/medusa", max: 20 }
  Object.defineProperty(options, "password", { value: "secret", enumerable: false })
  return { driver: { postgres: { Client: FakeClient }, master: { options } } } as unknown as DataSource
}

const flush = async () => {
  for (let i = 0; i < 20; i++) await Promise.resolve()
}

describe("listenForUserChanges", () => {
  const logger = { info: jest.fn(), warn: jest.fn() }
  const stops: (() => Promise<void>)[] = []

  beforeEach(() => {
    jest.useFakeTimers()
    FakeClient.made = []
    FakeClient.installed = true
    FakeClient.failConstruction = false
  })
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop()
    jest.useRealTimers()
  })

  function start(dataSource = fakeDataSource()) {
    const listener = listenForUserChanges(dataSource, logger)
    stops.push(listener.stop)
    return { dataSource, cache: apiTokenCache(dataSource) }
  }

  it("turns the cache on only once it LISTENs and the trigger exists, with the pool's hidden password", async () => {
    const { cache } = start()
    expect(cache.live).toBe(false)
    await flush()
    const [client] = FakeClient.made
    expect(client.queries).toEqual(["LISTEN medusa_customers_user_changes", "SELECT EXISTS"])
    expect(client.options).toMatchObject({ password: "secret", application_name: LISTENER_APPLICATION_NAME, connectionString: "postgres://medusa@db/medusa" })
    expect(cache.live).toBe(true)
    const before = cache.generation()
    client.emit("notification", { channel: "medusa_customers_user_changes" })
    expect(cache.generation()).toBe(before + 1)
  })

  it("keeps one listener per data source, however often it is asked for", async () => {
    const { dataSource } = start()
    start(dataSource)
    await flush()
    expect(FakeClient.made.length).toBe(1)
  })

  it("keeps the cache off while the trigger is missing, and asks again a minute later", async () => {
    FakeClient.installed = false
    const { cache } = start()
    await flush()
    expect([cache.live, FakeClient.made.length, FakeClient.made[0].ended]).toEqual([false, 1, true])
    FakeClient.installed = true
    jest.advanceTimersByTime(59_999)
    await flush()
    expect(FakeClient.made.length).toBe(1)
    jest.advanceTimersByTime(1)
    await flush()
    expect([cache.live, FakeClient.made.length]).toEqual([true, 2])
  })

  it("turns the cache off the moment its connection fails, and connects again a second later", async () => {
    const { cache } = start()
    await flush()
    const [first] = FakeClient.made
    first.emit("error", new Error("terminating connection due to administrator command"))
    first.emit("end")
    expect([cache.live, first.ended]).toEqual([false, true])
    expect(logger.warn).toHaveBeenCalledWith(
      "API-token cache off until its listener connects (terminating connection due to administrator command)"
    )
    jest.advanceTimersByTime(999)
    await flush()
    expect(FakeClient.made.length).toBe(1)
    jest.advanceTimersByTime(1)
    await flush()
    expect([cache.live, FakeClient.made.length]).toEqual([true, 2])
  })

  it("survives a client that cannot even be made, and tries again", async () => {
    FakeClient.failConstruction = true
    const { cache } = start()
    await flush()
    expect([cache.live, FakeClient.made.length]).toEqual([false, 0])
    FakeClient.failConstruction = false
    jest.advanceTimersByTime(1_000)
    await flush()
    expect([cache.live, FakeClient.made.length]).toEqual([true, 1])
  })
})
