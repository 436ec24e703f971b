import { ApiTokenCache } from "../api-token-cache"

function liveCache(ttlMs = 10_000, maxEntries = 1_000) {
  let now = 1_000
  const cache = new ApiTokenCache(ttlMs, maxEntries, () => now)
  cache.setLive(true)
  return { cache, advance: (ms: number) => (now += ms) }
}

describe("ApiTokenCache", () => {
  it("keeps nothing until it is live, and nothing once it is not", () => {
    const cache = new ApiTokenCache()
    cache.set("tok", { id: "usr_1" }, cache.generation(), cache.time())
    expect(cache.get("tok")).toBeUndefined()
    cache.setLive(true)
    cache.set("tok", { id: "usr_1" }, cache.generation(), cache.time())
    expect(cache.get("tok")).toEqual({ id: "usr_1" })
    cache.setLive(false)
    expect(cache.get("tok")).toBeUndefined()
    cache.set("tok", { id: "usr_1" }, cache.generation(), cache.time())
    expect(cache.get("tok")).toBeUndefined()
  })

  it("keeps a copy of the row and hands out copies, nested values included", () => {
    const { cache } = liveCache()
    const created = new Date("2024-01-01T00:00:00Z")
    const row = { id: "usr_1", role: "admin", metadata: { team: "a" }, created_at: created }
    cache.set("tok", row, cache.generation(), cache.time())
    row.role = "member"
    row.metadata.team = "b"
    const first = cache.get<typeof row>("tok")!
    expect(first).toEqual({ id: "usr_1", role: "admin", metadata: { team: "a" }, created_at: created })
    ;(first.metadata as { team: string }).team = "c"
    ;(first.created_at as Date).setFullYear(2000)
    expect(cache.get("tok")).toEqual({ id: "usr_1", role: "admin", metadata: { team: "a" }, created_at: created })
  })

  it("hands out users of the kept user's class, each its own", () => {
    class User {
      id = ""
      metadata: Record<string, unknown> | null = null
      get label(): string {
        return `user ${this.id}`
      }
    }
    const { cache } = liveCache()
    const user = Object.assign(new User(), { id: "usr_1", metadata: { team: "a" } })
    cache.set("tok", user, cache.generation(), cache.time())
    const [first, second] = [cache.get<User>("tok")!, cache.get<User>("tok")!]
    expect([first instanceof User, first.label, first.metadata]).toEqual([true, "user usr_1", { team: "a" }])
    expect(first).not.toBe(second)
    expect(first.metadata).not.toBe(second.metadata)
  })

  it("does not keep a user it cannot copy", () => {
    const { cache } = liveCache()
    cache.set("tok", { id: "usr_1", check: () => true }, cache.generation(), cache.time())
    expect(cache.get("tok")).toBeUndefined()
  })

  it("counts an entry's life from when its lookup began", () => {
    const { cache, advance } = liveCache(10_000)
    const readFrom = cache.time()
    advance(3_000) // a slow lookup
    cache.set("tok", { id: "usr_1" }, cache.generation(), readFrom)
    advance(6_999)
    expect(cache.get("tok")).toEqual({ id: "usr_1" })
    advance(1)
    expect(cache.get("tok")).toBeUndefined()
  })

  it("refuses a row read before an invalidation, and forgets everything on one", () => {
    const { cache } = liveCache()
    cache.set("a", { id: "usr_a" }, cache.generation(), cache.time())
    const before = cache.generation()
    cache.invalidate()
    expect(cache.get("a")).toBeUndefined()
    cache.set("b", { id: "usr_b" }, before, cache.time())
    expect(cache.get("b")).toBeUndefined()
    cache.set("b", { id: "usr_b" }, cache.generation(), cache.time())
    expect(cache.get("b")).toEqual({ id: "usr_b" })
  })

  it("lets an entry expire after its time to live", () => {
    const { cache, advance } = liveCache(10_000)
    cache.set("tok", { id: "usr_1" }, cache.generation(), cache.time())
    advance(9_999)
    expect(cache.get("tok")).toEqual({ id: "usr_1" })
    advance(1)
    expect(cache.get("tok")).toBeUndefined()
  })

  it("drops the oldest entry beyond its size", () => {
    const { cache } = liveCache(10_000, 2)
    for (const token of ["a", "b", "c"]) cache.set(token, { id: token }, cache.generation(), cache.time())
    expect([cache.get("a"), cache.get("b"), cache.get("c")]).toEqual([undefined, { id: "b" }, { id: "c" }])
  })
})
