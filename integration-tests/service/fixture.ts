import Scrypt from "scrypt-kdf"
import type { EntityManager } from "typeorm"

/** The fixture accounts' password; the cases' own passwords are listed with it for the hash descriptions. */
export const FIXTURE_PASSWORD = "fixture-password"

let fixtureHash: Promise<string> | undefined

/** One strong hash (the plugin's parameters) for the fixture's accounts, made once. */
function strongHash(): Promise<string> {
  fixtureHash ??= Scrypt.kdf(FIXTURE_PASSWORD, { logN: 15, r: 8, p: 1 }).then((key) => key.toString("base64"))
  return fixtureHash
}

type Row = Record<string, unknown>

/**
 * The data every run starts from, with readable fixed ids: a guest, an account,
 * a social-login account (has_account, no password: medusa-plugin-auth), a
 * legacy account whose email was stored in mixed case (core's update keeps
 * case), a guest sharing the account's email, a customer with a billing and a
 * shipping address, a soft-deleted customer, two groups and a loose address.
 */
async function fixtureRows(): Promise<{ customers: Row[]; addresses: Row[]; groups: Row[]; members: [string, string][] }> {
  const hash = await strongHash()
  const customer = (id: string, day: number, row: Row): Row => ({
    id,
    first_name: null,
    last_name: null,
    phone: null,
    has_account: false,
    password_hash: null,
    billing_address_id: null,
    metadata: null,
    deleted_at: null,
    created_at: `2024-01-0${day}T10:00:00Z`,
    ...row,
  })
  const address = (id: string, row: Row): Row => ({
    id,
    customer_id: null,
    company: null,
    address_2: null,
    province: null,
    phone: null,
    metadata: null,
    ...row,
  })
  return {
    addresses: [
      address("addr_billing", { first_name: "Bea", last_name: "Billing", address_1: "1 Main St", city: "Springfield", country_code: "us", postal_code: "12345" }),
      address("addr_loose", { first_name: "Lou", last_name: "Loose", address_1: "2 Side St", city: "Berlin", country_code: "de", postal_code: "10115" }),
      address("addr_ship", { customer_id: "cus_billing", first_name: "Bea", last_name: "Billing", address_1: "3 High St", city: "London", country_code: "gb", postal_code: "N1 9GU", phone: "+44 20 7946 0002" }),
    ],
    customers: [
      customer("cus_account", 1, { email: "account@example.com", first_name: "Alan", last_name: "Account", has_account: true, password_hash: hash }),
      customer("cus_billing", 2, { email: "billing@example.com", first_name: "Bea", last_name: "Billing", billing_address_id: "addr_billing" }),
      customer("cus_gone", 3, { email: "gone@example.com", first_name: "Gail", last_name: "Gone", has_account: true, deleted_at: "2024-02-01T10:00:00Z" }),
      customer("cus_guest", 4, { email: "guest@example.com", first_name: "Gina", last_name: "Guest", phone: "+44 20 7946 0001", metadata: { a: 1, b: "x" } }),
      customer("cus_legacy", 5, { email: "Legacy.Mixed@Example.com", first_name: "Lee", last_name: "Legacy", has_account: true, password_hash: hash }),
      customer("cus_pair", 6, { email: "account@example.com", first_name: "Pat", last_name: "Pair" }),
      customer("cus_social", 7, { email: "social@example.com", first_name: "Sam", last_name: "Social", has_account: true }),
    ],
    groups: [
      { id: "cgrp_new", name: "New" },
      { id: "cgrp_vip", name: "VIP" },
    ],
    members: [["cgrp_vip", "cus_account"]],
  }
}

async function insert(manager: EntityManager, table: string, rows: Row[]): Promise<void> {
  for (const row of rows) {
    const columns = Object.keys(row)
    const values = columns.map((c) => (c === "metadata" && row[c] !== null ? JSON.stringify(row[c]) : row[c]))
    await manager.query(
      `INSERT INTO ${table} (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`,
      values
    )
  }
}

/** Writes the fixture into the emptied customer tables (resetCustomers), in the run's transaction. */
export async function seedFixture(manager: EntityManager): Promise<void> {
  const { customers, addresses, groups, members } = await fixtureRows()
  // billing addresses before the customers that point at them, shipping addresses after their customers
  await insert(manager, "address", addresses.filter((a) => a.customer_id === null))
  await insert(manager, "customer", customers)
  await insert(manager, "address", addresses.filter((a) => a.customer_id !== null))
  await insert(manager, "customer_group", groups)
  for (const [group, customer] of members) {
    await manager.query("INSERT INTO customer_group_customers (customer_group_id, customer_id) VALUES ($1, $2)", [group, customer])
  }
}
