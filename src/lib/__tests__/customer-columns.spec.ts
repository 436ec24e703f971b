import { MedusaError } from "medusa-core-utils"
import { columnValues, hydrateRow } from "../customer-columns"
import { customerEntities } from "./customer-entity"

function invalid(run: () => unknown): [string, string] {
  try {
    run()
  } catch (err) {
    return [(err as MedusaError).type, (err as Error).message]
  }
  throw new Error("expected a MedusaError")
}

describe("columnValues", () => {
  it("maps every column of core's Customer to its database column as TypeORM prepares it (booleans 1/0), skipping undefined and the customer's own id", async () => {
    const { core } = await customerEntities()
    const created = new Date("2026-01-02T03:04:05Z")
    expect(
      columnValues(core, "cus_1", {
        id: "cus_1",
        first_name: "Dolly",
        last_name: undefined,
        phone: null,
        has_account: true,
        password_hash: "h",
        created_at: created,
      })
    ).toEqual({ first_name: "Dolly", phone: null, has_account: 1, password_hash: "h", created_at: created })
  })

  it("writes a store's extension columns under their database names, JSON as TypeORM's save prepares it", async () => {
    const { extended } = await customerEntities()
    expect(columnValues(extended, "cus_1", { loyalty_tier: "gold", history: ["silver", "gold"] })).toEqual({
      loyalty_tier: "gold",
      loyalty_history: '["silver","gold"]',
    })
  })

  it("refuses, naming them, keys that are no column, relations it does not write, and another id", async () => {
    const { core } = await customerEntities()
    expect(invalid(() => columnValues(core, "cus_1", { loyalty_tier: "gold", first_name: "a", nickname: "b" }))).toEqual([
      MedusaError.Types.INVALID_DATA,
      "Unknown customer fields: loyalty_tier, nickname (not a column of the Customer entity)",
    ])
    expect(invalid(() => columnValues(core, "cus_1", { search_name: "x" }))).toEqual([
      MedusaError.Types.INVALID_DATA,
      "Unknown customer field: search_name (not a column of the Customer entity)",
    ])
    expect(invalid(() => columnValues(core, "cus_1", { orders: [] }))).toEqual([
      MedusaError.Types.INVALID_DATA,
      "A customer update cannot set the relation orders",
    ])
    expect(invalid(() => columnValues(core, "cus_1", { id: "cus_2" }))).toEqual([
      MedusaError.Types.INVALID_DATA,
      "A customer's id cannot be changed",
    ])
  })
})

describe("hydrateRow", () => {
  it("keeps the entity's columns under their property names and nothing else", async () => {
    const { extended } = await customerEntities()
    const row = { id: "cus_1", email: "a@b.c", loyalty_tier: "gold", loyalty_history: ["gold"], search_name: "a b" }
    expect(hydrateRow(extended, row)).toEqual({ id: "cus_1", email: "a@b.c", loyalty_tier: "gold", history: ["gold"] })
  })
})
