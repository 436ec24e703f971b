import { MedusaError } from "medusa-core-utils"
import { toEventPayload } from "../customer"
import { customerExistsStatement } from "../../queries/customer-update"
import { entities, medusaError, Row, setup } from "./service-fixture"

describe("CustomerService.create", () => {
  it("normalises the email, hashes the password and keeps the hash out of the result and the event", async () => {
    const { service, customerRepository, eventBus } = setup()
    const result = await service.create({
      email: "  Caterina@Example.COM ",
      first_name: "Caterina",
      last_name: "Yost",
      password: "supersecret",
    })

    const saved = customerRepository.save.mock.calls[0][0] as Row
    expect(saved.email).toBe("caterina@example.com")
    expect(saved.has_account).toBe(true)
    expect(typeof saved.password_hash).toBe("string")
    expect(saved).not.toHaveProperty("password")

    expect(result).toEqual({
      id: "cus_1",
      deleted_at: null,
      email: "caterina@example.com",
      first_name: "Caterina",
      last_name: "Yost",
      has_account: true,
    })
    expect(eventBus.emit).toHaveBeenCalledTimes(1)
    expect(eventBus.emit).toHaveBeenCalledWith("customer.created", result)
  })

  it("refuses a second account for an email in any case", async () => {
    const { service, customerRepository } = setup({ existing: [{ id: "cus_0", has_account: true }] })
    expect(await medusaError(service.create({ email: "A@B.com", password: "x", first_name: "a", last_name: "b" }))).toEqual([
      MedusaError.Types.DUPLICATE_ERROR,
      "A customer with the given email already has an account. Log in instead",
    ])
    expect(customerRepository.save).not.toHaveBeenCalled()
  })

  it("refuses a second guest but lets a guest's email open an account", async () => {
    const guest = setup({ existing: [{ id: "cus_0", has_account: false }] })
    expect(await medusaError(guest.service.create({ email: "a@b.com" }))).toEqual([
      MedusaError.Types.DUPLICATE_ERROR,
      "Guest customer with email already exists",
    ])
    const account = await guest.service.create({ email: "a@b.com", password: "x" })
    expect(account.has_account).toBe(true)
  })
})

describe("CustomerService.create keeps the caller's has_account, as core does", () => {
  it("creates an account without a password when the caller says so (social logins), checked against accounts", async () => {
    const { service, customerRepository, eventBus } = setup()
    const result = await service.create({ email: "Social@Example.com", first_name: "S", last_name: "L", has_account: true })
    expect(customerRepository.save.mock.calls[0][0]).toEqual({
      email: "social@example.com",
      first_name: "S",
      last_name: "L",
      has_account: true,
    })
    expect(result.has_account).toBe(true)
    expect(eventBus.emit).toHaveBeenCalledWith("customer.created", result)

    const taken = setup({ existing: [{ id: "cus_0", has_account: true }] })
    expect(await medusaError(taken.service.create({ email: "social@example.com", has_account: true }))).toEqual([
      MedusaError.Types.DUPLICATE_ERROR,
      "A customer with the given email already has an account. Log in instead",
    ])
    const beside = setup({ existing: [{ id: "cus_0", has_account: false }] })
    expect((await beside.service.create({ email: "social@example.com", has_account: true })).has_account).toBe(true)
  })

  it("makes an account of any create with a password, whatever has_account says", async () => {
    const { service, customerRepository } = setup()
    await service.create({ email: "a@b.com", password: "x", has_account: false })
    expect((customerRepository.save.mock.calls[0][0] as Row).has_account).toBe(true)
  })

  it("keeps a guest a guest: no password and no has_account, or has_account false, even with a stored hash", async () => {
    const { service, customerRepository } = setup()
    await service.create({ email: "a@b.com" })
    await service.create({ email: "c@d.com", has_account: false, password_hash: "imported" })
    expect(customerRepository.save.mock.calls.map(([entity]) => (entity as Row).has_account)).toEqual([false, false])
    expect((customerRepository.save.mock.calls[1][0] as Row).password_hash).toBe("imported")
  })
})

/** What the update's one statement sets (queries/customer-update.ts). */
function setClause(sql: string): string | undefined {
  return /\bUPDATE customer SET (.*) FROM prior(?:, jsonb_populate_record\(NULL::customer, \$\d+::jsonb\) given)? WHERE customer\.id = prior\.id RETURNING customer\.\*/.exec(sql)?.[1]
}

/** The update's comparison of a written column with its stored value. */
const differs = (column: string) => `to_jsonb(customer."${column}") IS DISTINCT FROM to_jsonb(given."${column}")`

describe("CustomerService.update", () => {
  const stored = { id: "cus_1", email: "new@example.com", has_account: false, metadata: { keep: 1, add: true } }

  it("writes one UPDATE with the normalised email, the merged metadata and a new hash; emits without the hash", async () => {
    const written = { ...stored, first_name: "Dolly", metadata: { keep: 1, add: true } }
    const { service, queries, eventBus } = setup({ stored, updated: written })
    const result = await service.update("cus_1", {
      email: " New@Example.com",
      metadata: { drop: "", add: true },
      password: "new-secret",
      first_name: "Dolly",
    })

    const [taken, update] = queries
    expect(taken[1]).toEqual(["cus_1", "new@example.com"])
    const merged = `(CASE WHEN jsonb_typeof(customer.metadata) = 'object' THEN customer.metadata ELSE '{}'::jsonb END - $5::text[]) || $6::jsonb`
    expect(setClause(update[0])).toBe(
      // the columns by name, whatever the update's order: one statement text per set of columns
      `"email" = $2, "first_name" = $3, "password_hash" = $4, metadata = ${merged}, updated_at = CASE WHEN customer.metadata IS DISTINCT FROM ${merged} ` +
        `OR ${differs("email")} OR ${differs("first_name")} OR ${differs("password_hash")} THEN now() ELSE customer.updated_at END`
    )
    expect(update[0]).toContain("FROM prior, jsonb_populate_record(NULL::customer, $7::jsonb) given WHERE")
    // then the history entry's: its id, the actor, the request id, a password changed (groups not touched: no parameter)
    expect(update[1]).toEqual([
      "cus_1", "new@example.com", "Dolly", expect.any(String), ["drop"], '{"add":true}',
      // the values again, to tell whether anything changed
      JSON.stringify({ first_name: "Dolly", email: "new@example.com", password_hash: update[1][3] }),
      expect.stringMatching(/^cuhist_[0-9A-HJKMNP-TV-Z]{26}$/), '{"type":"system","id":null}', expect.stringMatching(/^[0-9a-f-]{36}$/), true,
    ])
    expect(update[1][3]).not.toBe("new-secret")
    // the row as written, not as it was, as an instance of the entity (what core's save returns)
    expect(result).toEqual(written)
    expect(result).toBeInstanceOf(entities.core.metadata.target as new () => unknown)
    expect(eventBus.emit).toHaveBeenCalledWith("customer.updated", written)
  })

  it("removes a metadata key set to undefined, as core's save of the merged JSON does", async () => {
    const { service, queries } = setup({ stored })
    await service.update("cus_1", { metadata: { keep: undefined, added: 2 } })
    expect(queries[0][1].slice(1, 3)).toEqual([["keep"], '{"added":2}'])
  })

  it("refuses an email another customer of the same kind already uses, before writing", async () => {
    const { service, queries } = setup({ stored, emailTaken: true })
    expect(await medusaError(service.update("cus_1", { email: "taken@example.com" }))).toEqual([
      MedusaError.Types.DUPLICATE_ERROR,
      "A customer with the given email already exists",
    ])
    expect(queries.some(([q]) => q.startsWith("UPDATE"))).toBe(false)
  })

  it("answers NOT_FOUND for a missing customer or an unknown group", async () => {
    const missing = setup()
    expect(await medusaError(missing.service.update("cus_x", { first_name: "a" }))).toEqual([
      MedusaError.Types.NOT_FOUND,
      "Customer with id: cus_x was not found",
    ])
    const groups = setup({ stored, groups: [{ id: "cgrp_a" }] })
    expect(await medusaError(groups.service.update("cus_1", { groups: [{ id: "cgrp_a" }, { id: "cgrp_b" }] }))).toEqual([
      MedusaError.Types.NOT_FOUND,
      "Customer group with id: cgrp_b was not found",
    ])
    // nothing written: the customer's existence read, after the refusal
    expect(groups.queries).toEqual([[customerExistsStatement("cus_1").sql, ["cus_1"]]])
  })

  it("answers NOT_FOUND for a missing customer whatever else is wrong with the update, as core (which retrieves it first)", async () => {
    const { service } = setup()
    expect(await medusaError(service.update("cus_x", { nickname: "a" } as never))).toEqual([MedusaError.Types.NOT_FOUND, "Customer with id: cus_x was not found"])
    expect(await medusaError(service.update("cus_x", { groups: [{ id: "cgrp_x" }] }))).toEqual([MedusaError.Types.NOT_FOUND, "Customer with id: cus_x was not found"])
  })

  it("replaces the group memberships, and clears them with []", async () => {
    const { service, queries } = setup({ stored, groups: [{ id: "cgrp_a" }] })
    await service.update("cus_1", { groups: [{ id: "cgrp_a" }, { id: "cgrp_a" }] })
    expect(queries.slice(1)).toEqual([
      ["DELETE FROM customer_group_customers WHERE customer_id = $1", ["cus_1"]],
      ["INSERT INTO customer_group_customers (customer_group_id, customer_id) SELECT unnest($1::text[]), $2", [["cgrp_a"], "cus_1"]],
    ])
    await service.update("cus_1", { groups: [] })
    expect(queries.slice(4)).toEqual([
      ["DELETE FROM customer_group_customers WHERE customer_id = $1", ["cus_1"]],
      ["INSERT INTO customer_group_customers (customer_group_id, customer_id) SELECT unnest($1::text[]), $2", [[], "cus_1"]],
    ])
  })
})

describe("CustomerService.update writes every column of the store's entity", () => {
  const stored = { id: "cus_1", email: "a@b.com", has_account: true, loyalty_tier: "gold", loyalty_history: ["gold"] }

  it("sets a store's extension columns in the same one statement and returns them as entity properties", async () => {
    const { service, queries, eventBus } = setup({ stored, entity: entities.extended })
    const result = await service.update("cus_1", { loyalty_tier: "gold", history: ["gold"], has_account: true } as never)
    expect(queries).toHaveLength(1)
    expect(setClause(queries[0][0])).toBe(
      `"has_account" = $2, "loyalty_history" = $3, "loyalty_tier" = $4, ` +
        `updated_at = CASE WHEN ${differs("has_account")} OR ${differs("loyalty_history")} OR ${differs("loyalty_tier")} THEN now() ELSE customer.updated_at END`
    )
    expect(queries[0][1].slice(0, 4)).toEqual(["cus_1", 1, '["gold"]', "gold"])
    expect(result).toEqual({ id: "cus_1", email: "a@b.com", has_account: true, loyalty_tier: "gold", history: ["gold"] })
    expect(result).toBeInstanceOf(entities.extended.metadata.target as new () => unknown)
    expect(eventBus.emit).toHaveBeenCalledWith("customer.updated", result)
  })

  it("refuses a key that is no column of the entity before anything is written", async () => {
    const { service, queries } = setup({ stored })
    expect(await medusaError(service.update("cus_1", { first_name: "a", loyalty_tier: "gold" } as never))).toEqual([
      MedusaError.Types.INVALID_DATA,
      "Unknown customer field: loyalty_tier (not a column of the Customer entity)",
    ])
    // nothing written: the customer's existence read, after the refusal
    expect(queries).toEqual([[customerExistsStatement("cus_1").sql, ["cus_1"]]])
  })

  it("keeps a caller's updated_at instead of now(), as TypeORM's save does", async () => {
    const { service, queries } = setup({ stored })
    const at = new Date("2026-01-01T00:00:00Z")
    await service.update("cus_1", { updated_at: at } as never)
    expect(queries).toHaveLength(1)
    expect(setClause(queries[0][0])).toBe(`"updated_at" = $2`)
    expect(queries[0][1].slice(0, 2)).toEqual(["cus_1", at])
  })
})

describe("toEventPayload", () => {
  it("drops password_hash and the stored search texts, and keeps everything else", () => {
    expect(toEventPayload({ id: "cus_1", email: "a@b.c", password_hash: "secret" } as never)).toEqual({ id: "cus_1", email: "a@b.c" })
    const stored = { search_name: "a b", search_email: "a@b.c", search_last_name: "b", search_phone: null }
    expect(toEventPayload({ id: "cus_1", loyalty_tier: "gold", ...stored } as never)).toEqual({ id: "cus_1", loyalty_tier: "gold" })
  })
})
