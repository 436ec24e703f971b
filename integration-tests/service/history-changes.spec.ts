import { closeDb, db } from "../setup/context"

/*
 * A history entry's `changes` and `groups` as PostgreSQL computes them
 * (queries/customer-history.ts), from two customers' JSON: what the update's
 * one statement and a create's entry write.
 */
const { changesSql, groupChangesSql, addressSnapshotSql } = require("../../dist/queries/customer-history")

afterAll(closeDb)

async function changes(before: object | null, after: object, passwordChanged = false, compared?: { fields: string[]; metadata: boolean }): Promise<unknown> {
  const pg = await db()
  const { rows } = await pg.query(`SELECT ${changesSql("$1::jsonb", "$2::jsonb", "$3::boolean", compared)} AS changes`, [
    before && JSON.stringify(before),
    JSON.stringify(after),
    passwordChanged,
  ])
  return rows[0].changes
}

async function groups(before: string[], after: string[] | null): Promise<unknown> {
  const pg = await db()
  const { rows } = await pg.query(`SELECT ${groupChangesSql("$1::text[]", "$2::text[]")} AS groups`, [before, after])
  return rows[0].groups
}

/** An address row (every column of core's `address`) as a history entry shows it. */
async function snapshot(address: object | null): Promise<unknown> {
  const pg = await db()
  const { rows } = await pg.query(`SELECT ${addressSnapshotSql("a")} AS snapshot FROM jsonb_populate_record(NULL::address, $1::jsonb) a`, [
    JSON.stringify(address ?? {}),
  ])
  return rows[0].snapshot
}

const address = { id: "addr_1", first_name: "A", last_name: "B", address_1: "1 Road", city: "Paris", country_code: "fr", created_at: "2024-01-01T00:00:00Z" }

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

describe("a history entry's changes", () => {
  it("shows a billing address by its fields only, each present; no address is null", async () => {
    expect(await snapshot(address)).toEqual(shown("Paris"))
    expect(await snapshot(null)).toBeNull()
  })

  it("lists a created customer's set fields from null, and a password as changed without any value", async () => {
    expect(
      await changes(null, { email: "a@b.com", first_name: "A", last_name: null, phone: null, has_account: true, metadata: { vip: true }, billing_address: null }, true)
    ).toEqual({
      email: { from: null, to: "a@b.com" },
      first_name: { from: null, to: "A" },
      has_account: { from: null, to: true },
      "metadata.vip": { from: null, to: true },
      password: { changed: true },
    })
  })

  it("lists only what changed: fields, each metadata key added, changed or removed, and the billing address", async () => {
    const before = { email: "a@b.com", first_name: "A", phone: "1", has_account: false, metadata: { keep: 1, drop: "x", bump: 1 }, billing_address: shown("Paris") }
    const after = { email: "a@b.com", first_name: "Z", phone: null, has_account: false, metadata: { keep: 1, bump: 2, add: [1] }, billing_address: shown("Lyon") }
    expect(await changes(before, after)).toEqual({
      first_name: { from: "A", to: "Z" },
      phone: { from: "1", to: null },
      billing_address: { from: shown("Paris"), to: shown("Lyon") },
      "metadata.drop": { from: "x", to: null },
      "metadata.bump": { from: 1, to: 2 },
      "metadata.add": { from: null, to: [1] },
    })
  })

  it("is empty when nothing changed, metadata that is no object read as none", async () => {
    const same = { email: "a@b.com", metadata: { a: 1 }, billing_address: null }
    expect(await changes(same, { ...same })).toEqual({})
    expect(await changes({ email: "a@b.com", metadata: "x" }, { email: "a@b.com", metadata: null })).toEqual({})
  })
})

describe("a history entry's changes, compared as an update compares them", () => {
  const before = { email: "a@b.com", first_name: "A", metadata: { k: 1 } }
  const after = { email: "z@b.com", first_name: "Z", metadata: { k: 2 } }

  it("follows only the fields named, the metadata only when asked", async () => {
    expect(await changes(before, after, false, { fields: ["first_name"], metadata: false })).toEqual({ first_name: { from: "A", to: "Z" } })
    expect(await changes(before, after, false, { fields: [], metadata: true })).toEqual({ "metadata.k": { from: 1, to: 2 } })
  })

  it("with no field and no metadata, lists a password change alone, or nothing", async () => {
    expect(await changes(before, after, true, { fields: [], metadata: false })).toEqual({ password: { changed: true } })
    expect(await changes(before, after, false, { fields: [], metadata: false })).toEqual({})
  })
})

describe("a history entry's groups", () => {
  it("lists memberships added and removed, sorted; null when the set is the same or untouched", async () => {
    expect(await groups(["g_b", "g_a"], ["g_c", "g_a", "g_c"])).toEqual({ added: ["g_c"], removed: ["g_b"] })
    expect(await groups(["g_a"], [])).toEqual({ added: [], removed: ["g_a"] })
    expect(await groups(["g_a"], ["g_a"])).toBeNull()
    expect(await groups(["g_a"], null)).toBeNull()
    // sorted as JavaScript sorts strings (code units), whatever the database's collation
    expect(await groups([], ["g_b", "G_a", "g_A", "g__"])).toEqual({ added: ["G_a", "g_A", "g__", "g_b"], removed: [] })
  })
})
