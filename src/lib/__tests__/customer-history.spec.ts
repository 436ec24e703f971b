import { customerChanges, groupChanges } from "../customer-history"

const address = { id: "addr_1", first_name: "A", last_name: "B", address_1: "1 Road", city: "Paris", country_code: "fr", created_at: "x" }

const shown = (city: string) => ({
  first_name: "A",
  last_name: "B",
  company: null,
  address_1: "1 Road",
  address_2: null,
  city,
  province: null,
  postal_code: null,
  country_code: "fr",
  phone: null,
})

describe("customerChanges", () => {
  it("lists a created customer's set fields from null, and a password as changed without any value", () => {
    expect(
      customerChanges(null, { email: "a@b.com", first_name: "A", last_name: null, phone: null, has_account: true, metadata: { vip: true } }, { passwordChanged: true })
    ).toEqual({
      email: { from: null, to: "a@b.com" },
      first_name: { from: null, to: "A" },
      has_account: { from: null, to: true },
      "metadata.vip": { from: null, to: true },
      password: { changed: true },
    })
  })

  it("lists only what changed: fields, each metadata key added, changed or removed, and the billing address's fields", () => {
    const before = { email: "a@b.com", first_name: "A", phone: "1", has_account: false, metadata: { keep: 1, drop: "x", bump: 1 }, billing_address: address }
    const after = {
      email: "a@b.com",
      first_name: "Z",
      phone: null,
      has_account: false,
      metadata: { keep: 1, bump: 2, add: [1] },
      billing_address: { ...address, city: "Lyon", updated_at: "y" },
    }
    expect(customerChanges(before, after, { passwordChanged: false })).toEqual({
      first_name: { from: "A", to: "Z" },
      phone: { from: "1", to: null },
      // the address's fields only, each present; not its bookkeeping (id, dates)
      billing_address: { from: shown("Paris"), to: shown("Lyon") },
      "metadata.drop": { from: "x", to: null },
      "metadata.bump": { from: 1, to: 2 },
      "metadata.add": { from: null, to: [1] },
    })
  })

  it("is empty when nothing changed", () => {
    const same = { email: "a@b.com", metadata: { a: 1 }, billing_address: null }
    expect(customerChanges(same, { ...same }, { passwordChanged: false })).toEqual({})
  })
})

describe("groupChanges", () => {
  it("lists memberships added and removed, sorted; null when the set is the same or untouched", () => {
    expect(groupChanges(["g_b", "g_a"], ["g_c", "g_a", "g_c"])).toEqual({ added: ["g_c"], removed: ["g_b"] })
    expect(groupChanges(["g_a"], [])).toEqual({ added: [], removed: ["g_a"] })
    expect(groupChanges(["g_a"], ["g_a"])).toBeNull()
    expect(groupChanges(["g_a"], undefined)).toBeNull()
  })
})
