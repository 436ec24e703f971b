import { EventEmitter } from "events"
import { guardPool } from "../connection-errors"

const terminated = () => Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })

describe("guardPool", () => {
  it("gives every client the pool hands out a listener: a lost connection is a warning, not an uncaught exception", () => {
    const pool = new EventEmitter()
    const warn = jest.fn()
    guardPool(pool, { warn })
    const created = new EventEmitter()
    const reused = new EventEmitter()
    pool.emit("connect", created)
    pool.emit("acquire", created)
    pool.emit("acquire", reused)

    // without a listener, EventEmitter throws on "error"
    expect(() => created.emit("error", terminated())).not.toThrow()
    expect(() => reused.emit("error", terminated())).not.toThrow()
    expect(created.listenerCount("error")).toBe(1)
    expect(warn.mock.calls).toEqual([
      ["medusa-plugin-customers: a database connection was lost while in use: terminating connection due to administrator command"],
      ["medusa-plugin-customers: a database connection was lost while in use: terminating connection due to administrator command"],
    ])
  })

  it("guards a pool once, however often it is called", () => {
    const pool = new EventEmitter()
    guardPool(pool, { warn: jest.fn() })
    guardPool(pool, { warn: jest.fn() })
    expect([pool.listenerCount("connect"), pool.listenerCount("acquire")]).toEqual([1, 1])
  })

  it("without a guard, the same event is thrown (the test's control)", () => {
    const client = new EventEmitter()
    expect(() => client.emit("error", terminated())).toThrow("terminating connection due to administrator command")
  })
})
