import { wrapDelete } from "../resilient-event-enqueuer"

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
