import { validator } from "@medusajs/medusa"
import {
  AdminGetCustomerParams,
  AdminGetCustomersParams,
  AdminPostCustomersCustomerReq,
  AdminPostCustomersReq,
} from "../validators"

const OPTIONS = { stopAtFirstError: true }
const check = <T extends object>(cls: new () => T, input: unknown) => validator(cls, input, OPTIONS)
const message = async (promise: Promise<unknown>): Promise<string> => {
  try {
    await promise
  } catch (err) {
    return (err as Error).message
  }
  throw new Error("expected a validation error")
}

describe("AdminGetCustomersParams", () => {
  it("defaults limit to 50 and offset to 0, with no other keys set", async () => {
    const params = await check(AdminGetCustomersParams, {})
    expect({ ...params }).toEqual({ limit: 50, offset: 0 })
  })

  it("turns query strings into typed values", async () => {
    const params = await check(AdminGetCustomersParams, {
      q: "yost",
      email: "  A@B.com ",
      has_account: "false",
      groups: "cgrp_1",
      created_at: { gte: "2024-01-01T00:00:00.000Z", lt: "2025-01-01" },
      order: "-email",
      expand: "orders,groups",
      fields: "email",
      limit: "1000",
      offset: "900000",
    })
    expect(params.email).toBe("a@b.com")
    expect(params.has_account).toBe(false)
    expect(params.groups).toEqual(["cgrp_1"])
    expect(params.created_at?.gte).toEqual(new Date("2024-01-01T00:00:00.000Z"))
    expect(params.created_at?.lt).toEqual(new Date("2025-01-01"))
    expect([params.limit, params.offset]).toEqual([1000, 900000])
  })

  it.each([
    [{ limit: "0" }, "limit must not be less than 1"],
    [{ limit: "1001" }, "limit must not be greater than 1000"],
    [{ limit: "1e3" }, "limit must be an integer"],
    [{ limit: "" }, "limit must be an integer"],
    [{ limit: ["1", "2"] }, "limit must be an integer"],
    [{ offset: "-5" }, "offset must not be less than 0"],
    [{ offset: "99999999999999999999" }, "offset must be an integer"],
    [{ has_account: "TRUE" }, "has_account must be true or false"],
    [{ has_account: "" }, "has_account must be true or false"],
    [{ order: "created_at,id" }, expect.stringMatching(/^order must be one of: id, -id, /)],
    [{ order: "--email" }, expect.stringMatching(/^order must be one of/)],
    [{ expand: "orders,,groups" }, "Relations [] are not valid; allowed: billing_address, shipping_addresses, groups, orders"],
    [{ fields: "email,password_hash" }, expect.stringMatching(/^Fields \[password_hash\] are not valid/)],
    [{ groups: { a: 1 } }, "groups must be an array"],
    [{ groups: [1] }, "each value in groups must be a string"],
    [{ q: "x".repeat(201) }, "q must be shorter than or equal to 200 characters"],
    [{ created_at: { gt: "not a date" } }, "created_at and updated_at operators must be valid dates"],
    [{ created_at: { between: "2024-01-01" } }, "property between should not exist"],
    [{ __proto__: "x", limit: "5", extra: "1" }, "property extra should not exist"],
  ])("refuses %j", async (input, expected) => {
    expect(await message(check(AdminGetCustomersParams, input))).toEqual(expected)
  })
})

describe("AdminGetCustomerParams", () => {
  it("accepts expand and fields only", async () => {
    expect({ ...(await check(AdminGetCustomerParams, { expand: "groups", fields: "email" })) }).toEqual({
      expand: "groups",
      fields: "email",
    })
    expect(await message(check(AdminGetCustomerParams, { q: "x" }))).toBe("property q should not exist")
  })
})

describe("AdminPostCustomersReq", () => {
  const valid = { email: " Caterina@Example.COM", first_name: "Caterina", last_name: "Yost", password: "supersecret" }

  it("trims and lower-cases the email", async () => {
    const body = await check(AdminPostCustomersReq, valid)
    expect(body.email).toBe("caterina@example.com")
  })

  it.each([
    [{ ...valid, email: undefined }, "email must be an email"],
    [{ ...valid, email: `${"a".repeat(60)}@${`${"b".repeat(60)}.`.repeat(4)}com` }, "email must be an email"],
    [{ ...valid, first_name: null }, "first_name must be a string"],
    [{ ...valid, password: 12345678 }, "password must be a string"],
    [{ ...valid, phone: 5 }, "phone must be a string"],
    [{ ...valid, metadata: "x" }, "metadata must be an object"],
    [{ ...valid, has_account: true }, "property has_account should not exist"],
  ])("refuses %j", async (input, expected) => {
    expect(await message(check(AdminPostCustomersReq, input))).toBe(expected)
  })
})

describe("AdminPostCustomersCustomerReq", () => {
  it("accepts the Medusa Admin's edit form (nulls included)", async () => {
    const body = await check(AdminPostCustomersCustomerReq, {
      first_name: "A",
      last_name: "B",
      phone: null,
      email: "Member@Example.com",
      metadata: {},
    })
    expect(body.email).toBe("member@example.com")
    expect(body.phone).toBeNull()
  })

  it.each([
    [{ groups: "cgrp_1" }, "groups must be an array"],
    [{ groups: [{ id: 1 }] }, "id must be a string"],
    [{ groups: [{ id: "a", name: "b" }] }, "property name should not exist"],
    [{ groups: Array.from({ length: 101 }, (_, i) => ({ id: `g${i}` })) }, "groups must contain no more than 100 elements"],
    [{ email: "@" }, "email must be an email"],
  ])("refuses %j", async (input, expected) => {
    expect(await message(check(AdminPostCustomersCustomerReq, input))).toBe(expected)
  })
})

describe("containsNul", () => {
  it("finds NUL in strings, keys and nested values", () => {
    const { containsNul } = jest.requireActual("../../../validate") as typeof import("../../../validate")
    expect(containsNul("a\u0000b")).toBe(true)
    expect(containsNul({ q: ["ok", "x\u0000"] })).toBe(true)
    expect(containsNul({ "k\u0000": 1 })).toBe(true)
    expect(containsNul({ metadata: { deep: { deeper: "fine" } }, n: 5 })).toBe(false)
  })
})
