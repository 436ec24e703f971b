import { toListQuery, toRetrieveConfig } from "../query-config"
import { AdminGetCustomersParams } from "../validators"

const params = (overrides: Partial<AdminGetCustomersParams>): AdminGetCustomersParams =>
  Object.assign(new AdminGetCustomersParams(), overrides)

describe("toListQuery", () => {
  it("defaults to no relations, every column and no explicit order", () => {
    expect(toListQuery(params({}))).toEqual({
      filters: { q: undefined, email: undefined, has_account: undefined, groups: undefined, created_at: undefined, updated_at: undefined },
      config: { relations: [], select: undefined, order: undefined, skip: 0, take: 50 },
    })
  })

  it("maps order, expand, fields and paging", () => {
    const { config } = toListQuery(
      params({ order: "-last_name", expand: "orders, groups,orders", fields: "email,id,email", limit: 15, offset: 30 })
    )
    expect(config).toEqual({
      relations: ["orders", "groups"],
      select: ["id", "email"],
      order: { last_name: "DESC", id: "DESC" },
      skip: 30,
      take: 15,
    })
    expect(toListQuery(params({ order: "email" })).config.order).toEqual({ email: "ASC", id: "ASC" })
    expect(toListQuery(params({ order: "-id" })).config.order).toEqual({ id: "DESC" })
  })

  it("passes the filters through", () => {
    const created_at = { gte: new Date("2024-01-01") }
    expect(toListQuery(params({ q: "yost", has_account: true, groups: ["g"], created_at })).filters).toEqual({
      q: "yost",
      email: undefined,
      has_account: true,
      groups: ["g"],
      created_at,
      updated_at: undefined,
    })
  })
})

describe("toRetrieveConfig", () => {
  it("loads orders and shipping addresses unless expand says otherwise", () => {
    expect(toRetrieveConfig({})).toEqual({ relations: ["orders", "shipping_addresses"], select: undefined })
    expect(toRetrieveConfig({ expand: "groups", fields: "email" })).toEqual({ relations: ["groups"], select: ["id", "email"] })
  })
})
