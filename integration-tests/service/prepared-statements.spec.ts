/**
 * The plugin's prepared statements on PostgreSQL (queries/prepared.ts), each test on a data source
 * of its own with one pool connection: the update's statement and the customer read are prepared
 * and PostgreSQL plans them once (generic plans after its five custom ones); with
 * `preparedStatements: false` nothing is prepared; a statement gone stale because a migration
 * changed a column's type is prepared afresh (a read answers at once, an update in its own
 * transaction fails once).
 */
import type { DataSource, EntityManager } from "typeorm"
import type CustomerService from "../../src/services/customer"
import { closeDb, db } from "../setup/context"
import { buildServices, inRolledBackTransaction, testDataSource } from "./harness"

const CUSTOMER = "cus_prepared_1"
const READ = { relations: ["orders", "shipping_addresses"] as ("orders" | "shipping_addresses")[] }

let dataSource: DataSource | undefined
afterEach(async () => {
  await dataSource?.destroy()
  dataSource = undefined
})
afterAll(closeDb)

/** The plugin's customerService on a fresh data source whose pool holds one connection. */
async function pluginService(options?: { preparedStatements: boolean }): Promise<CustomerService> {
  dataSource = await testDataSource(undefined, 1)
  return buildServices(dataSource, undefined, options).plugin as unknown as CustomerService
}

const seed = (manager: EntityManager) =>
  manager.query("INSERT INTO customer (id, email, first_name, phone, has_account) VALUES ($1, 'prepared@example.com', 'Before', '+1 555', false)", [CUSTOMER])

/** The connection's prepared statements of the plugin: how each begins, and how often PostgreSQL planned it afresh or used its generic plan. */
const preparedOf = async (manager: EntityManager) =>
  (await manager.query("SELECT left(statement, 25) AS starts, custom_plans::int, generic_plans::int FROM pg_prepared_statements WHERE name LIKE 'mpc\\_%' ORDER BY 1")) as {
    starts: string
    custom_plans: number
    generic_plans: number
  }[]

it("prepares the update's statement and the customer read, and PostgreSQL plans each once (generic plans after five custom ones)", async () => {
  const service = await pluginService()
  await inRolledBackTransaction(dataSource!, async (manager) => {
    await seed(manager)
    const inTransaction = service.withTransaction(manager)
    for (let i = 0; i < 7; i++) {
      expect((await inTransaction.update(CUSTOMER, { first_name: `Prepared${i}` })).first_name).toBe(`Prepared${i}`)
      expect((await inTransaction.retrieveForAdmin(CUSTOMER, READ)).first_name).toBe(`Prepared${i}`)
    }
    expect(await preparedOf(manager)).toEqual([
      { starts: "SELECT k.kind, c.id AS __", custom_plans: 5, generic_plans: 2 },
      { starts: "WITH prior AS MATERIALIZE", custom_plans: 5, generic_plans: 2 },
    ])
  })
})

it("prepares one statement per set of relations and of columns, whatever their order; the answer keeps the request's order", async () => {
  const service = await pluginService()
  await inRolledBackTransaction(dataSource!, async (manager) => {
    await seed(manager)
    const inTransaction = service.withTransaction(manager)
    await inTransaction.update(CUSTOMER, { first_name: "Ada", last_name: "Lovelace" })
    await inTransaction.update(CUSTOMER, { last_name: "Byron", first_name: "Augusta" })
    const ordersFirst = await inTransaction.retrieveForAdmin(CUSTOMER, { relations: ["orders", "shipping_addresses"] })
    const addressesFirst = await inTransaction.retrieveForAdmin(CUSTOMER, { relations: ["shipping_addresses", "orders"] })
    expect(Object.keys(ordersFirst).slice(-2)).toEqual(["orders", "shipping_addresses"])
    expect(Object.keys(addressesFirst).slice(-2)).toEqual(["shipping_addresses", "orders"])
    expect([addressesFirst.first_name, addressesFirst.last_name]).toEqual(["Augusta", "Byron"])
    expect(await preparedOf(manager)).toEqual([
      { starts: "SELECT k.kind, c.id AS __", custom_plans: 2, generic_plans: 0 },
      { starts: "WITH prior AS MATERIALIZE", custom_plans: 2, generic_plans: 0 },
    ])
  })
})

it("prepares nothing with preparedStatements: false", async () => {
  const service = await pluginService({ preparedStatements: false })
  await inRolledBackTransaction(dataSource!, async (manager) => {
    await seed(manager)
    const inTransaction = service.withTransaction(manager)
    expect((await inTransaction.update(CUSTOMER, { first_name: "Unprepared" })).first_name).toBe("Unprepared")
    expect((await inTransaction.retrieveForAdmin(CUSTOMER, READ)).first_name).toBe("Unprepared")
    expect(await preparedOf(manager)).toEqual([])
  })
})

it("prepares afresh what a migration changing a column's type made stale: an update fails once, a read answers at once", async () => {
  const service = await pluginService()
  const pg = await db()
  const [{ type }] = (await pg.query("SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = 'customer'::regclass AND attname = 'billing_address_id'")).rows
  expect(type).toBe("character varying")
  await seed(dataSource!.manager)
  try {
    // both statements prepared on the one connection, then a migration changes a column they return (one no trigger names)
    await service.update(CUSTOMER, { first_name: "First" })
    await service.retrieveForAdmin(CUSTOMER, READ)
    await pg.query("ALTER TABLE customer ALTER COLUMN billing_address_id TYPE text")
    const stale = await service.update(CUSTOMER, { first_name: "Refused" }).catch((err: { driverError?: { code?: string; message?: string } }) => err.driverError)
    expect(stale).toEqual(expect.objectContaining({ code: "0A000", message: "cached plan must not change result type" }))
    expect((await service.update(CUSTOMER, { first_name: "Second" })).first_name).toBe("Second")
    expect((await service.retrieveForAdmin(CUSTOMER, READ)).phone).toBe("+1 555")
    // prepared afresh above; the type changed back: the read is sent again at once
    await pg.query("ALTER TABLE customer ALTER COLUMN billing_address_id TYPE character varying")
    expect((await service.retrieveForAdmin(CUSTOMER, READ)).first_name).toBe("Second")
    expect((await service.update(CUSTOMER, { first_name: "Third" })).first_name).toBe("Third")
    expect((await pg.query("SELECT first_name FROM customer WHERE id = $1", [CUSTOMER])).rows).toEqual([{ first_name: "Third" }])
  } finally {
    await pg.query(`ALTER TABLE customer ALTER COLUMN billing_address_id TYPE ${type}`)
    await pg.query("DELETE FROM customer_history WHERE customer_id = $1", [CUSTOMER])
    await pg.query("DELETE FROM customer WHERE id = $1", [CUSTOMER])
  }
})
