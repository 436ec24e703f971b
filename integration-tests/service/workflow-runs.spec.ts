/**
 * The customer workflows on PostgreSQL, through the plugin's customerService in
 * a caller's transaction: a billing-address change's history entry (a new
 * address, and the current one edited in place); a customerUpdated handler
 * that changes its data and throws — the workflow's compensation must put back
 * the row, the address, the group memberships and leave no history entry,
 * while the caller's transaction goes on (a caller that catches the error and
 * commits keeps nothing of the update); a create that fails after its insert
 * (a handler, the event's staging) undone the same way; data that looks like the steps' own
 * references to each other's outputs passes through as data.
 */
import type { CustomerService as CoreCustomerService } from "@medusajs/medusa"
import type { DataSource, EntityManager } from "typeorm"
import { updateCustomerWorkflow } from "../../src/workflows/update-customer"
import { createCustomerWorkflow } from "../../src/workflows/create-customer"
import { closeDb } from "../setup/context"
import { buildServices, inRolledBackTransaction, RecordingEventBus, testDataSource } from "./harness"

let dataSource: DataSource
let plugin: CoreCustomerService
let bus: RecordingEventBus

beforeAll(async () => {
  dataSource = await testDataSource()
  ;({ plugin, bus } = buildServices(dataSource))
})

afterAll(async () => {
  await dataSource.destroy()
  await closeDb()
})

const CUSTOMER = "cus_undo_1"
const BILLING = "addr_undo_billing"

/** A customer with a billing address (unless `withBilling` is false) in the groups `cgrp_undo_a` and `cgrp_undo_b`; `cgrp_undo_c` exists. */
async function seed(manager: EntityManager, withBilling = true): Promise<void> {
  await manager.query(
    `INSERT INTO address (id, first_name, last_name, address_1, city, country_code, postal_code, created_at, updated_at)
     VALUES ($1, 'Ada', 'Lovelace', '1 Old Road', 'Paris', 'fr', '75001', '2024-01-01T10:00:00Z', '2024-01-02T10:00:00Z')`,
    [BILLING]
  )
  await manager.query(
    `INSERT INTO customer (id, email, first_name, last_name, phone, has_account, billing_address_id, metadata, created_at, updated_at)
     VALUES ($1, 'ada@undo.example', 'Ada', 'Lovelace', '+33 1', false, $2, '{"tier": "gold", "keep": 1}', '2024-01-01T10:00:00Z', '2024-01-02T10:00:00Z')`,
    [CUSTOMER, withBilling ? BILLING : null]
  )
  await manager.query("INSERT INTO customer_group (id, name) VALUES ('cgrp_undo_a', 'Undo A'), ('cgrp_undo_b', 'Undo B'), ('cgrp_undo_c', 'Undo C')")
  await manager.query(
    "INSERT INTO customer_group_customers (customer_group_id, customer_id) VALUES ('cgrp_undo_a', $1), ('cgrp_undo_b', $1)",
    [CUSTOMER]
  )
}

/** Everything an update of the customer may write, as stored. */
async function state(manager: EntityManager): Promise<Record<string, unknown>> {
  return {
    customer: await manager.query("SELECT * FROM customer WHERE id = $1", [CUSTOMER]),
    addresses: await manager.query("SELECT * FROM address ORDER BY id"),
    groups: await manager.query("SELECT customer_group_id FROM customer_group_customers WHERE customer_id = $1 ORDER BY 1", [CUSTOMER]),
    history: await historyOf(manager),
  }
}

async function historyOf(manager: EntityManager): Promise<{ action: string; changes: unknown; groups: unknown }[]> {
  return await manager.query("SELECT action, changes, groups FROM customer_history WHERE customer_id = $1 ORDER BY id", [CUSTOMER])
}

const oldAddress = {
  first_name: "Ada",
  last_name: "Lovelace",
  company: null,
  address_1: "1 Old Road",
  address_2: null,
  city: "Paris",
  province: null,
  postal_code: "75001",
  country_code: "fr",
  phone: null,
}
const newAddress = { first_name: "Ada", last_name: "King", address_1: "2 New Street", city: "Lyon", country_code: "FR", postal_code: "69001" }
const newShown = { ...oldAddress, last_name: "King", address_1: "2 New Street", city: "Lyon", postal_code: "69001" }

describe("a billing-address change in the customer's history", () => {
  it("records a new address as from null, with the address written and set on the customer", async () => {
    await inRolledBackTransaction(dataSource, async (manager) => {
      await seed(manager, false)
      await plugin.withTransaction(manager).update(CUSTOMER, { billing_address: newAddress })
      const [customer] = await manager.query("SELECT billing_address_id FROM customer WHERE id = $1", [CUSTOMER])
      const [address] = await manager.query("SELECT city, country_code FROM address WHERE id = $1", [customer.billing_address_id])
      expect([customer.billing_address_id === BILLING, address]).toEqual([false, { city: "Lyon", country_code: "fr" }])
      expect(await historyOf(manager)).toEqual([{ action: "updated", changes: { billing_address: { from: null, to: newShown } }, groups: null }])
    })
  })

  it("records the current address edited in place from its old fields to its new ones", async () => {
    await inRolledBackTransaction(dataSource, async (manager) => {
      await seed(manager)
      await plugin.withTransaction(manager).update(CUSTOMER, { billing_address: newAddress })
      const [customer] = await manager.query("SELECT billing_address_id FROM customer WHERE id = $1", [CUSTOMER])
      expect(customer.billing_address_id).toBe(BILLING)
      expect(await historyOf(manager)).toEqual([{ action: "updated", changes: { billing_address: { from: oldAddress, to: newShown } }, groups: null }])
    })
  })
})

describe("a customerUpdated handler that throws", () => {
  const update = {
    first_name: "Augusta",
    phone: "+44 20",
    metadata: { tier: "", added: true },
    groups: [{ id: "cgrp_undo_b" }, { id: "cgrp_undo_c" }],
    billing_address: newAddress,
  }

  it.each([
    ["the billing address edited in place", true],
    ["a new billing address", false],
  ])("undoes the update with %s: row, address, groups as they were, no history entry", async (_name, withBilling) => {
    const seen: unknown[] = []
    const remove = updateCustomerWorkflow.hooks.customerUpdated(({ after }) => {
      seen.push([after.first_name, after.metadata, typeof after.updated_at])
      // what a handler does to its data reaches nothing else, the undo included
      after.id = "cus_someone_else"
      after.metadata = null
      throw new Error("the store's handler failed")
    })
    try {
      await inRolledBackTransaction(dataSource, async (manager) => {
        await seed(manager, withBilling)
        const before = await state(manager)
        await expect(plugin.withTransaction(manager).update(CUSTOMER, update)).rejects.toThrow("the store's handler failed")
        // the handler saw the written customer; then everything was put back, in the same transaction
        expect(seen).toEqual([["Augusta", { keep: 1, added: true }, "string"]])
        expect(await state(manager)).toEqual(before)
      })
    } finally {
      remove()
    }
  })
})

describe("a create that fails after its insert", () => {
  it.each([
    ["a customerCreated handler throws", "handler"],
    ["staging its event fails (workflows-sdk undoes the insert step)", "event"],
  ])("%s: undone in the caller's transaction, which goes on: no customer, no history entry", async (_name, failing) => {
    const remove = failing === "handler" ? createCustomerWorkflow.hooks.customerCreated(() => Promise.reject(new Error("create refused"))) : undefined
    const emit = failing === "event" ? jest.spyOn(bus, "emit").mockRejectedValueOnce(new Error("create refused")) : undefined
    try {
      await inRolledBackTransaction(dataSource, async (manager) => {
        const guest = { email: "undone@undo.example", first_name: "Un", last_name: "Done" }
        await expect(plugin.withTransaction(manager).create(guest)).rejects.toThrow("create refused")
        remove?.()
        emit?.mockRestore()
        const count = async (sql: string) => (await manager.query(sql))[0].n
        expect(await count("SELECT count(*)::int AS n FROM customer WHERE email = 'undone@undo.example'")).toBe(0)
        // entries of this transaction (clock_timestamp() ≥ its start)
        expect(await count("SELECT count(*)::int AS n FROM customer_history WHERE created_at >= now()")).toBe(0)
        // the transaction is usable, and the email free again
        const again = await plugin.withTransaction(manager).create(guest)
        expect(await count(`SELECT count(*)::int AS n FROM customer_history WHERE customer_id = '${again.id}'`)).toBe(1)
      })
    } finally {
      remove?.()
      emit?.mockRestore()
    }
  })
})

describe("data shaped like a step's reference to another step's output", () => {
  const lookalike = { __medusaPluginCustomersOutput: "medusa-plugin-customers:prepare-customer" }

  it("is kept as data: in a create's metadata, seen by its hooks, written and returned as sent", async () => {
    const seen: unknown[] = []
    const removeValidate = createCustomerWorkflow.hooks.validate(({ input }) => void seen.push(input.metadata))
    const removeCreated = createCustomerWorkflow.hooks.customerCreated(({ customer }) => void seen.push(customer.metadata))
    try {
      await inRolledBackTransaction(dataSource, async (manager) => {
        const created = await plugin.withTransaction(manager).create({ email: "lookalike@undo.example", first_name: "Look", metadata: lookalike } as never)
        const [row] = await manager.query("SELECT metadata FROM customer WHERE id = $1", [created.id])
        expect([created.metadata, row.metadata, ...seen]).toEqual([lookalike, lookalike, lookalike, lookalike])
      })
    } finally {
      removeValidate()
      removeCreated()
    }
  })
})

describe("metadata stored as something other than a JSON object (legacy data)", () => {
  it.each([
    ["a scalar", '"legacy"'],
    ["an array", "[1, 2]"],
  ])("is merged into as {} when it is %s: the update writes the patch, its entry lists the keys added", async (_name, stored) => {
    await inRolledBackTransaction(dataSource, async (manager) => {
      await seed(manager)
      await manager.query("UPDATE customer SET metadata = $2::jsonb WHERE id = $1", [CUSTOMER, stored])
      const updated = await plugin.withTransaction(manager).update(CUSTOMER, { metadata: { a: 1, gone: "" } })
      const [row] = await manager.query("SELECT metadata FROM customer WHERE id = $1", [CUSTOMER])
      expect([updated.metadata, row.metadata]).toEqual([{ a: 1 }, { a: 1 }])
      expect(await historyOf(manager)).toEqual([{ action: "updated", changes: { "metadata.a": { from: null, to: 1 } }, groups: null }])
    })
  })
})
