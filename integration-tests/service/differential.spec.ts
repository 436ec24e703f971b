/**
 * Differential test of the plugin's CustomerService against core's: the plugin
 * registers it as `customerService` for the whole store (core's auth, store
 * routes, carts, other plugins), so every public method must behave as core's
 * for the same input, except for the documented differences (differences.ts).
 *
 * Each case runs once per service, in a transaction that is rolled back, on
 * the same fixture in the integration test database (Medusa's and the
 * plugin's migrations, with the plugin's triggers and indexes). The outcomes —
 * the value or thrown error, the events emitted (names and payloads) and
 * the rows left behind — are normalised (normalise.ts) and compared.
 */
import { Address, Customer, CustomerService as CoreCustomerService } from "@medusajs/medusa"
import type { DataSource, EntityManager } from "typeorm"
import { closeDb, resetCustomers } from "../setup/context"
import { CASES, Case, EXTENSION_CASES, METHODS, PASSWORDS } from "./cases"
import { expectedOfPlugin, Outcome } from "./differences"
import { addExtensionColumn, ExtendedCustomer, extendedCustomerRepository } from "./extended-customer"
import { seedFixture } from "./fixture"
import { EMAIL_UNIQUE_INDEX } from "../../src/lib/email-unique"
import { buildServices, entityColumns, inRolledBackTransaction, inSavepoint, medusaEntities, Services, Side, snapshot, testDataSource } from "./harness"
import { describeError, Normaliser } from "./normalise"

/** The clock for password-reset tokens (their `exp` and `iat`), so both services sign the same payload. */
const TOKEN_CLOCK = Date.UTC(2030, 0, 1, 12, 0, 0)

/** A store as the services see it: its entities, the two services, and what each run does before the fixture. */
type World = {
  dataSource: DataSource
  services: Services
  customerColumns: string[]
  addressColumns: string[]
  prepare?: (manager: EntityManager) => Promise<void>
}

async function coreStore(): Promise<World> {
  const dataSource = await testDataSource()
  return {
    dataSource,
    services: buildServices(dataSource),
    customerColumns: entityColumns(dataSource, Customer),
    addressColumns: entityColumns(dataSource, Address),
  }
}

/** A store that extends Customer with a column (extended-customer.ts). */
async function extendedStore(): Promise<World> {
  const dataSource = await testDataSource([...medusaEntities(), ExtendedCustomer])
  return {
    dataSource,
    services: buildServices(dataSource, { customerRepository: extendedCustomerRepository(dataSource) }),
    customerColumns: entityColumns(dataSource, ExtendedCustomer),
    addressColumns: entityColumns(dataSource, Address),
    prepare: addExtensionColumn,
  }
}

async function callArgs(c: Case, service: CoreCustomerService): Promise<unknown[]> {
  return typeof c.args === "function" ? await c.args(service) : structuredClone(c.args)
}

async function invoke(service: CoreCustomerService, method: Case["method"], args: unknown[]): Promise<unknown> {
  const fn = service[method] as (...a: unknown[]) => Promise<unknown>
  if (method !== "generateResetPasswordToken") return await fn.apply(service, args)
  const clock = jest.spyOn(Date, "now").mockReturnValue(TOKEN_CLOCK)
  try {
    return await fn.apply(service, args)
  } finally {
    clock.mockRestore()
  }
}

/** The unique indexes of core's own `customer` table (primary key, billing address, exact-case email and kind). */
const CORE_UNIQUE_INDEXES = ["IDX_unique_email_for_guests_and_customer_accounts", "PK_a7a13f4cacb744524e44dfdad32", "REL_8abe81b9aac151ae60bf507ad1"]

/**
 * Core's side runs on the schema of a store without the plugin, as far as it decides an
 * outcome: inside the rolled-back transaction the plugin's case-insensitive unique index
 * (email, kind) is dropped and its triggers on `customer` (search texts, counters) are off,
 * so core's writes meet core's own constraints only; the unique indexes left must be exactly
 * core's. Waiting for the table's lock gives up after 10 s rather than hang the suite.
 */
async function asCoreAlone(manager: EntityManager): Promise<void> {
  await manager.query("SET LOCAL lock_timeout = '10s'")
  await manager.query(`DROP INDEX "${EMAIL_UNIQUE_INDEX}"`)
  await manager.query("ALTER TABLE customer DISABLE TRIGGER USER")
  const unique = (await manager.query(
    "SELECT indexname FROM pg_indexes WHERE tablename = 'customer' AND indexdef LIKE 'CREATE UNIQUE INDEX%' ORDER BY indexname COLLATE \"C\""
  )) as { indexname: string }[]
  const names = unique.map((index) => index.indexname)
  if (names.join() !== CORE_UNIQUE_INDEXES.join()) throw new Error(`core's side has unique indexes ${names.join(", ")}, not core's own`)
}

/** One case on one service, in a rolled-back transaction: its normalised outcome. */
async function run(world: World, side: Side, c: Case): Promise<Outcome> {
  const { services } = world
  return await inRolledBackTransaction(world.dataSource, async (manager: EntityManager) => {
    await world.prepare?.(manager)
    if (side === "core") await asCoreAlone(manager)
    await seedFixture(manager)
    const service = services[side].withTransaction(manager)
    await c.setup?.(service, manager)
    services.bus.events.length = 0
    const args = await callArgs(c, service)
    const { result, error } = await inSavepoint(manager, () => invoke(service, c.method, args))
    const state = await snapshot(manager, world.customerColumns, world.addressColumns)
    const signers = new Map(
      (state.customer as { id: string; password_hash: string | null }[])
        .filter((row) => row.password_hash)
        .map((row) => [row.password_hash as string, row.id])
    )
    const normalise = new Normaliser({ passwords: PASSWORDS, hashes: services.hashes, signers })
    const outcome: Outcome = { result: await normalise.value(result), events: [], state: {} }
    for (const e of services.bus.events) outcome.events.push({ name: e.name, data: await normalise.value(e.data) })
    outcome.state = await normalise.value(state)
    if (result !== null && typeof result === "object" && !Array.isArray(result)) outcome.resultClass = result.constructor.name
    if (error !== undefined) outcome.error = describeError(error)
    if (c.method === "updateBillingAddress_") outcome.argument = await normalise.value(args[0])
    return outcome
  })
}

/** Runs `c` on core's service and the plugin's; the plugin's outcome must be core's with the documented differences. */
async function compare(world: World, c: Case): Promise<void> {
  const core = await run(world, "core", c)
  const plugin = await run(world, "plugin", c)
  // the case exercises what it says: core returns or throws as the case states
  if ((core.error === undefined) !== (c.core === "returns")) {
    throw new Error(`core was expected to ${c.core === "returns" ? "return" : "throw"}; it gave ${JSON.stringify(core)}`)
  }
  // a documented difference that answers where core throws: core's answer to the case's other call
  const reference = c.coreAnswers ? await run(world, "core", { ...c, method: c.coreAnswers.method, args: c.coreAnswers.args }) : core
  if (c.coreAnswers && reference.error !== undefined) throw new Error(`core's ${c.coreAnswers.method} failed: ${JSON.stringify(reference)}`)
  expect(plugin).toEqual(expectedOfPlugin(reference, c.method, c.differences))
}

const title = (c: Case) => [`${c.method}: ${c.name}`, c] as const

beforeAll(resetCustomers)

afterAll(async () => {
  await closeDb()
  const all = [...CASES, ...EXTENSION_CASES]
  const perMethod = METHODS.map((m) => `${m} ${all.filter((c) => c.method === m).length}`)
  process.stdout.write(`\n[differential] ${all.length} cases over ${METHODS.length} methods: ${perMethod.join(", ")}\n`)
})

describe("the plugin's CustomerService behaves as core's", () => {
  let world: World
  beforeAll(async () => {
    world = await coreStore()
  })
  afterAll(async () => await world?.dataSource.destroy())

  it("has cases for every public method of core's CustomerService", () => {
    const internal = ["constructor", "retrieve_", "hashPassword_"]
    const publicMethods = Object.getOwnPropertyNames(CoreCustomerService.prototype).filter((m) => !internal.includes(m))
    expect([...publicMethods].sort()).toEqual([...METHODS].sort())
    expect(METHODS.filter((m) => !CASES.some((c) => c.method === m))).toEqual([])
  })

  it.each(CASES.map(title))("%s", async (_title, c) => await compare(world, c))
})

describe("…on a store whose Customer entity has a column of its own", () => {
  let world: World
  beforeAll(async () => {
    world = await extendedStore()
  })
  afterAll(async () => await world?.dataSource.destroy())

  it.each(EXTENSION_CASES.map(title))("%s", async (_title, c) => await compare(world, c))
})
