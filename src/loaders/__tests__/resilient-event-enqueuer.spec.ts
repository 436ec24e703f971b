import type { MedusaContainer } from "@medusajs/medusa"
import resilientEventEnqueuerLoader, { wrapDelete } from "../resilient-event-enqueuer"

const noop = (): void => undefined

/** A container holding a logger and an event bus of the given shape. */
function container(eventBusService: object) {
  const logger = { warn: jest.fn(), error: jest.fn(), info: jest.fn() }
  const resolve = (name: string) => ({ logger, eventBusService })[name]
  return { container: { resolve } as unknown as MedusaContainer, logger }
}

const FALLBACK_WARNING =
  "medusa-plugin-customers: core's event bus has no stagedJobService_.delete as expected; its staged-job enqueuer is left as it is (a database outage while it runs can stop the process)"

describe("the loader that patches core's event enqueuer", () => {
  it("wraps the delete of core's staged-job service once, however often it runs", async () => {
    const original = jest.fn(async (_ids: string | string[]) => ({ affected: 1 }))
    const stagedJobService_ = { delete: original, list: jest.fn() }
    const { container: c, logger } = container({ stagedJobService_, enqueuer_: noop })
    await resilientEventEnqueuerLoader(c)
    const wrapped = stagedJobService_.delete
    await resilientEventEnqueuerLoader(c)
    expect(wrapped).not.toBe(original)
    expect(stagedJobService_.delete).toBe(wrapped)
    await expect(stagedJobService_.delete(["job_1"])).resolves.toEqual({ affected: 1 })
    expect(original.mock.calls).toEqual([[["job_1"]]])
    expect([logger.warn.mock.calls, logger.error.mock.calls]).toEqual([[], []])
  })

  it.each([
    ["no staged-job service", { enqueuer_: noop }],
    ["a staged-job service without delete", { stagedJobService_: { remove: jest.fn() }, enqueuer_: noop }],
    ["a delete that is not a function", { stagedJobService_: { delete: "job" }, enqueuer_: noop }],
    ["a null staged-job service", { stagedJobService_: null, enqueuer_: noop }],
    ["no enqueuer", { stagedJobService_: { delete: jest.fn() } }],
  ])("leaves core's enqueuer as it is with one warning when its event bus has %s", async (_label, eventBus) => {
    const before = JSON.stringify(eventBus)
    const staged = (eventBus as { stagedJobService_?: { delete?: unknown } }).stagedJobService_
    const deleteBefore = staged?.delete
    const { container: c, logger } = container(eventBus)
    await resilientEventEnqueuerLoader(c)
    expect(logger.warn.mock.calls).toEqual([[FALLBACK_WARNING]])
    expect(logger.error).not.toHaveBeenCalled()
    expect(JSON.stringify(eventBus)).toBe(before)
    expect(staged?.delete).toBe(deleteBefore)
  })
})

describe("the staged-job delete of core's event enqueuer", () => {
  const logger = () => ({ warn: jest.fn(), error: jest.fn() })
  const policy = { attempts: 4, delayMs: () => 1 }

  it("retries the same jobs while the database is away, then deletes them once", async () => {
    const calls: unknown[] = []
    let failures = 2
    const remove = jest.fn(async (ids: string | string[]) => {
      calls.push(ids)
      if (failures-- > 0) throw Object.assign(new Error("terminating connection due to administrator command"), { code: "57P01" })
      return { affected: 2 }
    })
    const log = logger()
    await expect(wrapDelete(remove, log, policy)(["job_1", "job_2"])).resolves.toEqual({ affected: 2 })
    expect(calls).toEqual([["job_1", "job_2"], ["job_1", "job_2"], ["job_1", "job_2"]])
    expect(log.warn.mock.calls.map(([m]) => m)).toEqual([
      "Deleting 2 emitted staged jobs failed (attempt 1), retrying: terminating connection due to administrator command",
      "Deleting 2 emitted staged jobs failed (attempt 2), retrying: terminating connection due to administrator command",
    ])
    expect(log.error).not.toHaveBeenCalled()
  })

  it("never rejects: after the last attempt it logs and leaves the jobs staged", async () => {
    const remove = jest.fn(async () => {
      throw Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })
    })
    const log = logger()
    await expect(wrapDelete(remove, log, policy)("job_1")).resolves.toBeUndefined()
    expect(remove).toHaveBeenCalledTimes(4)
    expect(log.error.mock.calls).toEqual([["Deleting 1 emitted staged jobs failed, they will be emitted again: connect ECONNREFUSED 127.0.0.1:5432"]])
  })

  it("does not retry what is not a lost connection: logs it once, the jobs stay staged", async () => {
    const remove = jest.fn(async () => {
      throw Object.assign(new Error('relation "staged_job" does not exist'), { code: "42P01" })
    })
    const log = logger()
    await expect(wrapDelete(remove, log, policy)(["job_1"])).resolves.toBeUndefined()
    expect(remove).toHaveBeenCalledTimes(1)
    expect(log.warn).not.toHaveBeenCalled()
    expect(log.error.mock.calls).toEqual([['Deleting 1 emitted staged jobs failed, they will be emitted again: relation "staged_job" does not exist']])
  })
})
