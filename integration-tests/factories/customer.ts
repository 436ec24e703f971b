import { db } from "../setup/context"

let seq = 0

export type CustomerSeed = {
  email?: string
  first_name?: string
  last_name?: string
  phone?: string | null
  has_account?: boolean
  created_at?: Date
  metadata?: Record<string, unknown> | null
}

/** Inserts a customer row directly (fast, explicit timestamps); returns its id. */
export async function seedCustomer(seed: CustomerSeed = {}): Promise<string> {
  seq += 1
  const id = `cus_test${String(seq).padStart(6, "0")}${Math.random().toString(36).slice(2, 8).toUpperCase()}`
  const created = seed.created_at ?? new Date(Date.UTC(2024, 0, 1) + seq * 60000)
  const pg = await db()
  await pg.query(
    `INSERT INTO customer (id, email, first_name, last_name, phone, has_account, metadata, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)`,
    [
      id,
      seed.email ?? `customer${seq}@example.com`,
      seed.first_name ?? `First${seq}`,
      seed.last_name ?? `Last${seq}`,
      seed.phone ?? null,
      seed.has_account ?? false,
      seed.metadata ? JSON.stringify(seed.metadata) : null,
      created,
    ]
  )
  return id
}

export async function seedGroup(name: string): Promise<string> {
  const id = `cgrp_test${Math.random().toString(36).slice(2, 10).toUpperCase()}`
  await (await db()).query("INSERT INTO customer_group (id, name) VALUES ($1, $2)", [id, name])
  return id
}

export async function addToGroup(groupId: string, customerId: string): Promise<void> {
  await (await db()).query(
    "INSERT INTO customer_group_customers (customer_group_id, customer_id) VALUES ($1, $2)",
    [groupId, customerId]
  )
}
