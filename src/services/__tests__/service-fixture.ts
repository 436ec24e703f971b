import { MedusaError } from "medusa-core-utils"
import type { CustomerEntity } from "../../lib/customer-columns"
import { customerEntities } from "../../lib/__tests__/customer-entity"
import CustomerService from "../customer"

/*
 * The customer service on a mocked manager and repositories (the workflows
 * run for real): what the service and workflow unit tests share.
 */

export type Row = Record<string, unknown>

export let entities: { core: CustomerEntity; extended: CustomerEntity }
beforeAll(async () => {
  entities = await customerEntities()
})

export function setup({
  existing = [] as Row[],
  stored = undefined as Row | undefined,
  groups = [] as Row[],
  entity = undefined as CustomerEntity | undefined,
  emailTaken = false,
  /** What the UPDATE returns (default: `stored` as it was). */
  updated = undefined as Row | undefined,
} = {}) {
  const { metadata, driver } = entity ?? entities.core
  const customerRepository = {
    metadata,
    find: jest.fn(async () => existing),
    findOne: jest.fn(async () => (stored ? { ...stored } : null)),
    exist: jest.fn(async () => false),
    create: jest.fn((input: Row) => ({ ...input })),
    save: jest.fn(async (entity: Row) => ({ id: "cus_1", deleted_at: null, ...entity })),
  }
  const customerGroupRepository = { find: jest.fn(async () => groups) }
  const eventBus = { withTransaction: jest.fn(), emit: jest.fn(async () => undefined) }
  eventBus.withTransaction.mockReturnValue(eventBus)
  const queries: [string, unknown[]][] = []
  // a create's history entry and an update's first row lock, apart from the writes the tests pin
  const lockAndHistory: [string, unknown[]][] = []
  const manager = {
    connection: { driver },
    withRepository: (repo: unknown) => repo,
    query: jest.fn(async (sql: string, params: unknown[]) => {
      const lock = sql.startsWith("SELECT") && sql.endsWith("FOR UPDATE")
      if (lock || sql.startsWith("INSERT INTO customer_history")) {
        lockAndHistory.push([sql, params])
        return lock && stored ? [{ ...stored }] : []
      }
      queries.push([sql, params])
      if (sql.startsWith("SELECT EXISTS (SELECT 1 FROM customer WHERE id")) return [{ found: Boolean(stored) }]
      if (sql.startsWith("SELECT EXISTS")) return [{ taken: emailTaken }]
      const row = updated ?? stored
      // the update's one statement: the row written, with the row as it was
      if (sql.startsWith("WITH prior")) return row && stored ? [{ ...row, password_hash: "hash", __prior_row: stored, __prior_groups: [] }] : []
      if (sql.startsWith("UPDATE customer")) return [row ? [{ ...row, password_hash: "hash" }] : [], row ? 1 : 0]
      return []
    }),
  }
  const logger = { warn: jest.fn() }
  const container = {
    manager,
    logger,
    customerRepository,
    customerGroupRepository,
    addressRepository: {},
    eventBusService: eventBus,
  }
  // statements through the mocked manager.query (queries/prepared.ts has its own tests)
  const service = new CustomerService(container as never, { preparedStatements: false }).withTransaction(manager as never) as CustomerService
  return { service, customerRepository, customerGroupRepository, eventBus, manager, queries, lockAndHistory, logger }
}

export async function medusaError(promise: Promise<unknown>): Promise<[string, string]> {
  try {
    await promise
  } catch (err) {
    return [(err as MedusaError).type, (err as Error).message]
  }
  throw new Error("expected a MedusaError")
}

