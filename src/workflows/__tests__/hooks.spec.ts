import { MedusaError } from "medusa-core-utils"
import { medusaError, setup } from "../../services/__tests__/service-fixture"
import { createCustomerWorkflow } from "../create-customer"
import { updateCustomerWorkflow } from "../update-customer"

const removers: (() => void)[] = []
afterEach(() => removers.splice(0).forEach((remove) => remove()))

/** Registers through the workflows' public hooks, removed after each test. */
function on<T extends (...args: never[]) => () => void>(register: T, ...args: Parameters<T>): void {
  removers.push(register(...args))
}

const input = { email: "Hook@Example.com", first_name: "H", last_name: "K", password: "supersecret" }
const stored = { id: "cus_1", email: "a@b.com", first_name: "Old", has_account: false, metadata: null, updated_at: "2026-01-02T03:04:05.000Z" }

describe("createCustomerWorkflow hooks", () => {
  it("are optional: a create with no handler registered writes the customer and emits once", async () => {
    const { service, customerRepository, eventBus } = setup()
    expect((await service.create(input)).email).toBe("hook@example.com")
    expect(customerRepository.save).toHaveBeenCalledTimes(1)
    expect(eventBus.emit).toHaveBeenCalledTimes(1)
  })

  it("run several handlers per hook in registration order, validate before the write, customerCreated after it", async () => {
    const { service, customerRepository, manager, eventBus } = setup()
    const calls: string[] = []
    const seen: unknown[] = []
    const handler = (name: string) => async (data: unknown, context: { container: unknown; manager: unknown }) => {
      calls.push(`${name}:${customerRepository.save.mock.calls.length}`)
      seen.push(data)
      expect(context.manager).toBe(manager)
      expect((context.container as { resolve(name: string): unknown }).resolve("eventBusService")).toBe(eventBus)
    }
    on(createCustomerWorkflow.hooks.customerCreated, handler("created-1"))
    on(createCustomerWorkflow.hooks.validate, handler("validate-1"))
    on(createCustomerWorkflow.hooks.validate, handler("validate-2"))
    on(createCustomerWorkflow.hooks.customerCreated, handler("created-2"))

    await service.create(input)
    expect(calls).toEqual(["validate-1:0", "validate-2:0", "created-1:1", "created-2:1"])
    // validate sees the input without the password; customerCreated the saved customer without its hash
    expect(seen[0]).toEqual({ input: { email: "Hook@Example.com", first_name: "H", last_name: "K" } })
    expect(seen[2]).toEqual({
      customer: { id: "cus_1", deleted_at: null, email: "hook@example.com", first_name: "H", last_name: "K", has_account: true },
    })
  })

  it("validate refusing with a MedusaError: the same error, nothing written, no event", async () => {
    const { service, customerRepository, eventBus, queries, lockAndHistory } = setup()
    on(createCustomerWorkflow.hooks.validate, async () => {
      throw new MedusaError(MedusaError.Types.INVALID_DATA, "Disposable email domains are not accepted")
    })
    expect(await medusaError(service.create(input))).toEqual([
      MedusaError.Types.INVALID_DATA,
      "Disposable email domains are not accepted",
    ])
    expect(customerRepository.save).not.toHaveBeenCalled()
    expect([queries, lockAndHistory, eventBus.emit.mock.calls]).toEqual([[], [], []])
  })

  it("customerCreated throwing undoes the create: the history entry and the customer deleted, no event staged", async () => {
    const { service, eventBus, queries, lockAndHistory } = setup()
    const failure = new Error("CRM unavailable")
    on(createCustomerWorkflow.hooks.customerCreated, async () => {
      throw failure
    })
    await expect(service.create(input)).rejects.toBe(failure)
    const [[, historyParams]] = lockAndHistory
    expect(queries).toEqual([
      ["DELETE FROM customer_history WHERE id = $1", [historyParams[0]]],
      ["DELETE FROM customer WHERE id = $1", ["cus_1"]],
    ])
    expect(eventBus.emit).not.toHaveBeenCalled()
  })

  it("staging the event failing has workflows-sdk undo the insert step: the entry and the customer deleted", async () => {
    const { service, eventBus, queries, lockAndHistory } = setup()
    const failure = new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "staged_job refused")
    eventBus.emit.mockRejectedValueOnce(failure)
    await expect(service.create(input)).rejects.toBe(failure)
    const [[, historyParams]] = lockAndHistory
    expect(queries).toEqual([
      ["DELETE FROM customer_history WHERE id = $1", [historyParams[0]]],
      ["DELETE FROM customer WHERE id = $1", ["cus_1"]],
    ])
  })

  it("a handler removed with the function its registration returned no longer runs", async () => {
    const { service } = setup()
    const handler = jest.fn()
    const remove = createCustomerWorkflow.hooks.customerCreated(handler)
    remove()
    await service.create(input)
    expect(handler).not.toHaveBeenCalled()
  })
})

/** The id of the history entry an update's statement writes: its one parameter that is an entry id. */
function entryIdOf(params: unknown[]): string {
  const ids = params.filter((value) => /^cuhist_[0-9A-HJKMNP-TV-Z]{26}$/.test(String(value)))
  expect(ids).toHaveLength(1)
  return ids[0] as string
}

describe("updateCustomerWorkflow hooks", () => {
  it("validate gets the id and the update without its password; customerUpdated the customer before and after", async () => {
    const { service } = setup({ stored, updated: { ...stored, first_name: "New" } })
    const validate = jest.fn()
    const updated = jest.fn()
    on(updateCustomerWorkflow.hooks.validate, validate)
    on(updateCustomerWorkflow.hooks.customerUpdated, updated)
    await service.update("cus_1", { first_name: "New", password: "secret-2" })
    expect(validate.mock.calls[0][0]).toEqual({ id: "cus_1", update: { first_name: "New" } })
    expect(updated.mock.calls[0][0]).toEqual({ before: stored, after: { ...stored, first_name: "New" } })
  })

  it("customerUpdated throwing undoes the update: the entry deleted, the written columns set back to their old values", async () => {
    const { service, queries, eventBus } = setup({ stored })
    on(updateCustomerWorkflow.hooks.customerUpdated, async () => {
      throw new MedusaError(MedusaError.Types.NOT_ALLOWED, "refused by the store")
    })
    expect(await medusaError(service.update("cus_1", { first_name: "New" }))).toEqual([
      MedusaError.Types.NOT_ALLOWED,
      "refused by the store",
    ])
    const [[write, writeParams], ...undo] = queries
    expect(write.startsWith("WITH prior")).toBe(true)
    // the entry the update's statement wrote
    expect(undo[0]).toEqual(["DELETE FROM customer_history WHERE id = $1", [entryIdOf(writeParams)]])
    expect(undo[1]).toEqual([
      `UPDATE customer SET ("first_name", "metadata", "updated_at") = (SELECT r."first_name", r."metadata", r."updated_at"
            FROM jsonb_populate_record(NULL::customer, $2::jsonb) r) WHERE id = $1`,
      ["cus_1", JSON.stringify({ first_name: "Old", metadata: null, updated_at: "2026-01-02T03:04:05.000Z" })],
    ])
    expect(undo).toHaveLength(2)
    expect(eventBus.emit).not.toHaveBeenCalled()
  })

  it("staging the event failing has workflows-sdk undo the update step: the entry deleted, the columns set back", async () => {
    const { service, queries, eventBus } = setup({ stored })
    eventBus.emit.mockRejectedValueOnce(new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "staged_job refused"))
    expect(await medusaError(service.update("cus_1", { first_name: "New" }))).toEqual([MedusaError.Types.UNEXPECTED_STATE, "staged_job refused"])
    const [[write, writeParams], ...undo] = queries
    expect(write.startsWith("WITH prior")).toBe(true)
    expect(undo).toEqual([
      ["DELETE FROM customer_history WHERE id = $1", [entryIdOf(writeParams)]],
      [
        `UPDATE customer SET ("first_name", "metadata", "updated_at") = (SELECT r."first_name", r."metadata", r."updated_at"
            FROM jsonb_populate_record(NULL::customer, $2::jsonb) r) WHERE id = $1`,
        ["cus_1", JSON.stringify({ first_name: "Old", metadata: null, updated_at: "2026-01-02T03:04:05.000Z" })],
      ],
    ])
  })

  it("an undo that fails is logged, and the caller gets the step's own error", async () => {
    const { service, manager, eventBus, logger } = setup({ stored })
    eventBus.emit.mockRejectedValueOnce(new MedusaError(MedusaError.Types.UNEXPECTED_STATE, "staged_job refused"))
    const query = manager.query.getMockImplementation()!
    manager.query.mockImplementation(async (sql: string, params: unknown[]) => {
      if (sql.startsWith("DELETE FROM customer_history")) throw Object.assign(new Error("entry locked"), { code: "55P03" })
      return await query(sql, params)
    })
    expect(await medusaError(service.update("cus_1", { first_name: "New" }))).toEqual([MedusaError.Types.UNEXPECTED_STATE, "staged_job refused"])
    expect(logger.warn.mock.calls).toEqual([["[medusa-plugin-customers] undoing medusa-plugin-customers:update-customer failed: entry locked"]])
  })

  it("a write failing inside the update step undoes the step's own earlier writes, the later groups first", async () => {
    const { service, queries, manager, eventBus, lockAndHistory } = setup({ stored, groups: [{ id: "cgrp_1" }] })
    const query = manager.query.getMockImplementation()!
    // the memberships' INSERT fails (its DELETE ran): not a failed transaction, so the step undoes itself
    manager.query.mockImplementation(async (sql: string, params: unknown[]) => {
      if (sql.startsWith("INSERT INTO customer_group_customers") && params[0] && (params[0] as string[]).includes("cgrp_1")) {
        queries.push([sql, params])
        throw new Error("insert refused")
      }
      return await query(sql, params)
    })
    await expect(service.update("cus_1", { first_name: "New", groups: [{ id: "cgrp_1" }] })).rejects.toThrow("insert refused")
    expect(queries.map(([sql]) => sql.split(" ").slice(0, 3).join(" "))).toEqual([
      "WITH prior AS",
      "DELETE FROM customer_group_customers",
      "INSERT INTO customer_group_customers",
      // undone, the last write first: the memberships put back as they were (none), the entry deleted, the row's columns set back
      "DELETE FROM customer_group_customers",
      "INSERT INTO customer_group_customers",
      "DELETE FROM customer_history",
      "UPDATE customer SET",
    ])
    expect(queries[4][1]).toEqual([[], "cus_1"])
    expect(queries[5][1]).toEqual([entryIdOf(queries[0][1])])
    expect(queries[6][1]).toEqual(["cus_1", JSON.stringify({ first_name: "Old", metadata: null, updated_at: "2026-01-02T03:04:05.000Z" })])
    // the groups' change locked the row first; no history entry was written apart from the update's statement
    expect(lockAndHistory.map(([sql]) => sql.startsWith("INSERT INTO customer_history"))).toEqual([false])
    expect(eventBus.emit).not.toHaveBeenCalled()
  })
})
