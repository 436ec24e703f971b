import type { UpdateCustomerInput } from "@medusajs/medusa/dist/types/customers"
import { MedusaError } from "medusa-core-utils"
import { In } from "typeorm"
import { columnValues, hydrateRow } from "../../lib/customer-columns"
import { CustomerJson, duplicateAware, reviveDates, stripInternalColumns } from "../../lib/customer-writes"
import { PreconditionFailedError } from "../../lib/errors"
import { customerEtag } from "../../lib/etag"
import { historyOrigin } from "../../models/customer-history"
import { restoreColumnsStatement } from "../../queries/customer-history"
import {
  billingAddressStatement,
  customerExistsStatement,
  emailTakenStatement,
  lockCustomerStatement,
  PRIOR_GROUPS,
  PRIOR_ROW,
  replaceGroupsStatements,
  updateCustomerStatement,
} from "../../queries/customer-update"
import { hydratedColumns } from "../../queries/customer-rows"
import { queryPrepared } from "../../queries/prepared"
import { normalizeEmail } from "../../utils/strings"
import { customerStep, StepTools, undoQuietly } from "../context"
import type { WorkflowHook } from "../hooks"
import type { CustomerUpdatedData, UpdateValidateData } from "../update-customer"
import { runHook } from "./run-hook"

type Update = UpdateCustomerInput & Record<string, unknown>

/** What `customerService.update` takes: `ifMatch`, the ETags the client last saw. */
export type UpdateCustomerWorkflowInput = { id: string; update: Update; ifMatch?: string[] }

/** The update checked and prepared: the columns it sets (all but the billing address and metadata), the groups it names. */
export type PreparedUpdate = { columns: Record<string, unknown>; email?: string; passwordHash?: string; groupIds?: string[] }

const notFound = (id: string) => new MedusaError(MedusaError.Types.NOT_FOUND, `Customer with id: ${id} was not found`)

/** Keys of an update written by their own rules, not as plain columns. */
const HANDLED_APART = new Set(["password", "metadata", "billing_address", "billing_address_id", "groups", "email"])

/**
 * Refuses what cannot be written before anything is (a key that is no column of the store's
 * entity, a non-string email, unknown groups); normalises the email, hashes a new password.
 */
async function prepareUpdate({ id, update }: UpdateCustomerWorkflowInput, tools: StepTools): Promise<PreparedUpdate> {
  const { entity } = tools.customerService.writeResources(tools.manager)
  const rest = Object.fromEntries(Object.entries(update).filter(([key]) => !HANDLED_APART.has(key)))
  const prepared: PreparedUpdate = { columns: columnValues(entity, id, reviveDates(entity, rest)) }
  if (update.email !== undefined) {
    if (typeof update.email !== "string") throw new MedusaError(MedusaError.Types.INVALID_DATA, "email must be a string")
    prepared.email = normalizeEmail(update.email)
    Object.assign(prepared.columns, columnValues(entity, id, { email: prepared.email }))
  }
  if (update.groups) prepared.groupIds = await findGroupIds(tools, update.groups)
  if (update.password) {
    prepared.passwordHash = await tools.customerService.hashPassword_(update.password)
    Object.assign(prepared.columns, columnValues(entity, id, { password_hash: prepared.passwordHash }))
  }
  return prepared
}

async function findGroupIds({ customerService, manager }: StepTools, refs: { id: string }[]): Promise<string[]> {
  const ids = [...new Set(refs.map((ref) => ref.id))]
  if (ids.length === 0) return []
  const found = await customerService.writeResources(manager).groups.find({ select: ["id"], where: { id: In(ids) } })
  const missing = ids.filter((id) => !found.some((group) => group.id === id))
  if (missing.length) throw new MedusaError(MedusaError.Types.NOT_FOUND, `Customer group with id: ${missing[0]} was not found`)
  return ids
}

/**
 * Core retrieves the customer before anything else: an update of no live customer is NOT_FOUND
 * whatever else is wrong with it. Checked here only when the preparation failed (the update's
 * own statement finds a missing customer otherwise).
 */
async function notFoundFirst<T>(id: string, prepare: () => Promise<T>, { manager }: StepTools): Promise<T> {
  try {
    return await prepare()
  } catch (err) {
    // a refusal only (a database error keeps its own code, and may have failed the transaction)
    if (typeof (err as { type?: unknown })?.type !== "string") throw err
    const { sql, params } = customerExistsStatement(id)
    const found = await manager.query(sql, params).then(
      (rows: { found: boolean }[]) => rows[0].found,
      () => true
    )
    throw found ? err : notFound(id)
  }
}

/** The customer as it was, row-locked before an update that must look at it before writing. */
export type LockedCustomer = { billingSnapshot: Record<string, unknown> | null; billingAddress: Record<string, unknown> | null }

/**
 * Locks the customer first when the update must look at it before writing: with `ifMatch`,
 * another current version than the client saw is a PreconditionFailedError (412); a billing
 * address change reads the address as it was, and a groups change has its statement read the
 * memberships, once the lock is held (a statement reads other tables as they were when it
 * began, before it waited for the lock). Undefined for any other update (its one statement
 * locks the row itself); a NotFound error for no live customer.
 */
async function lockFirst({ id, update, ifMatch }: UpdateCustomerWorkflowInput, prepared: PreparedUpdate, tools: StepTools): Promise<LockedCustomer | undefined> {
  const billing = billingGiven(update)
  if (!ifMatch && !billing && !prepared.groupIds) return undefined
  const lock = lockCustomerStatement(id)
  const [found] = (await tools.manager.query(lock.sql, lock.params)) as Record<string, unknown>[]
  if (!found) throw notFound(id)
  if (ifMatch && !ifMatch.includes("*") && !ifMatch.includes(customerEtag(found) ?? "")) throw new PreconditionFailedError()
  if (!billing || !found.billing_address_id) return { billingSnapshot: null, billingAddress: null }
  const read = billingAddressStatement(found.billing_address_id as string)
  const [address] = (await tools.manager.query(read.sql, read.params)) as { snapshot: LockedCustomer["billingSnapshot"]; address: LockedCustomer["billingAddress"] }[]
  return { billingSnapshot: address?.snapshot ?? null, billingAddress: address?.address ?? null }
}

/** A customer row (`RETURNING *` or `to_jsonb`) as the entity's properties, without internal columns. */
function asCustomerJson({ customerService, manager }: StepTools, row: Record<string, unknown>): CustomerJson {
  return stripInternalColumns(hydrateRow(customerService.writeResources(manager).entity, row)) as unknown as CustomerJson
}

/** Another live customer of the same kind already using the new email is a 422, before writing. */
async function assertEmailFree(id: string, email: string | undefined, { manager }: StepTools): Promise<void> {
  if (email === undefined) return
  const { sql, params } = emailTakenStatement(id, email)
  const [{ taken }] = await manager.query(sql, params)
  if (taken) throw new MedusaError(MedusaError.Types.DUPLICATE_ERROR, "A customer with the given email already exists")
}

export type BillingChange = {
  /** The billing address the customer gets (undefined: unchanged) and its fields after the change. */
  addressId?: string
  address?: Record<string, unknown> | null
  createdAddressId?: string
  /** The address as it was, when it was changed in place. */
  restore?: Record<string, unknown>
  /** The address as the history shows it, from before the change. */
  snapshotBefore?: Record<string, unknown> | null
}

const billingGiven = (update: Update) => Boolean(update.billing_address_id || update.billing_address)

/** Core's billing address update (an address id, or fields for a new or the current address), the customer locked first. */
async function updateBillingAddress(id: string, update: Update, locked: LockedCustomer | undefined, { customerService, manager }: StepTools): Promise<BillingChange> {
  if (!billingGiven(update) || !locked) return {}
  const given = update.billing_address_id || update.billing_address
  const customer = await customerService.retrieve(id)
  await customerService.updateBillingAddress_(customer, given as never)
  const addressId = (customer.billing_address?.id ?? customer.billing_address_id) as string
  const read = billingAddressStatement(addressId)
  const [{ address }] = await manager.query(read.sql, read.params)
  const createdAddressId = customer.billing_address?.id
  const inPlace = !createdAddressId && locked.billingAddress && addressId === locked.billingAddress.id
  return { addressId, address, createdAddressId, restore: inPlace ? (locked.billingAddress ?? undefined) : undefined, snapshotBefore: locked.billingSnapshot }
}

/** The address restored, or the one created deleted. */
async function undoBillingAddress({ createdAddressId, restore }: BillingChange, { customerService, manager }: StepTools): Promise<void> {
  const { addresses } = customerService.writeResources(manager)
  if (restore) await addresses.save(addresses.create(restore))
  if (createdAddressId) await manager.query("DELETE FROM address WHERE id = $1", [createdAddressId])
}

/** The row written: the customer before and after, and what undoing it takes (the written columns' old values, the entry). */
export type WrittenRow = {
  before: CustomerJson
  after: CustomerJson
  /** The group ids before, when the update replaced them (else null). */
  groupsBefore: string[] | null
  restore: { row: Record<string, unknown>; columns: string[] }
  /** The id the entry was written with (no entry when the update changed nothing). */
  historyId: string
}

/** The row updated and its history entry written, in one statement (queries/customer-update.ts). */
async function writeRow({ id, update }: UpdateCustomerWorkflowInput, prepared: PreparedUpdate, billing: BillingChange, tools: StepTools): Promise<WrittenRow> {
  const { entity, preparedStatements } = tools.customerService.writeResources(tools.manager)
  const columns = billing.addressId ? { ...prepared.columns, ...columnValues(entity, id, { billing_address_id: billing.addressId }) } : prepared.columns
  const origin = historyOrigin()
  const returned = hydratedColumns(entity.metadata).map((column) => column.databaseName)
  const { sql, params } = updateCustomerStatement(id, columns, returned, update.metadata as Record<string, unknown> | undefined, {
    ...origin,
    passwordChanged: Boolean(prepared.passwordHash),
    groupIds: prepared.groupIds,
    billingBefore: billing.addressId ? { snapshot: billing.snapshotBefore ?? null } : undefined,
  })
  const rows = await duplicateAware(queryPrepared(tools.manager, { sql, params }, preparedStatements), undefined)
  if (!rows[0]) throw notFound(id)
  const { [PRIOR_ROW]: priorRow, [PRIOR_GROUPS]: groupsBefore, ...row } = rows[0] as Record<string, unknown> & { [PRIOR_ROW]: Record<string, unknown>; [PRIOR_GROUPS]: string[] | null }
  const written = [...new Set([...Object.keys(columns), "metadata", "updated_at"])]
  return {
    before: asCustomerJson(tools, priorRow),
    after: asCustomerJson(tools, row),
    groupsBefore,
    restore: { row: Object.fromEntries(written.map((column) => [column, priorRow[column]])), columns: written },
    historyId: origin.id,
  }
}

/** The written columns set back to their old values, and the entry deleted. */
async function undoRow({ after, restore, historyId }: WrittenRow, { manager }: StepTools): Promise<void> {
  await manager.query("DELETE FROM customer_history WHERE id = $1", [historyId])
  const { sql, params } = restoreColumnsStatement(after.id, restore.row, restore.columns)
  await manager.query(sql, params)
}

/** The group memberships replaced when the update names them (`after`). */
async function replaceGroups(id: string, groupIds: string[] | undefined, { manager }: StepTools): Promise<void> {
  if (!groupIds) return
  for (const { sql, params } of replaceGroupsStatements(id, groupIds)) await manager.query(sql, params)
}

/**
 * What the update did: its billing address, the row, and the groups it replaced (undefined:
 * untouched); `customer`, what `customerService.update` returns.
 */
export type CustomerUpdate = { billing: BillingChange; row: WrittenRow; groupsAfter?: string[]; customer: CustomerJson }

/** Core saves the entity it was given and returns it: a billing address it created and the groups as passed ride along. */
function updatedCustomer({ update }: UpdateCustomerWorkflowInput, { billing, row }: Pick<CustomerUpdate, "billing" | "row">): CustomerJson {
  return {
    ...row.after,
    ...(billing.createdAddressId ? { billing_address: billing.address } : {}),
    ...(update.groups ? { groups: update.groups } : {}),
  }
}

/** Undoes what `update` did, the last write first. */
async function undoUpdate(done: Partial<CustomerUpdate>, tools: StepTools): Promise<void> {
  if (done.row && done.groupsAfter) await replaceGroups(done.row.after.id, done.row.groupsBefore ?? [], tools)
  if (done.row) await undoRow(done.row, tools)
  if (done.billing) await undoBillingAddress(done.billing, tools)
}

/** The update workflow's hooks, as its steps run them. */
export type UpdateHooks = { validate: WorkflowHook<UpdateValidateData>; customerUpdated: WorkflowHook<CustomerUpdatedData> }

/**
 * The update: the `validate` hook, then checked (unknown keys, email, groups, If-Match, the
 * email free) before anything is written, then its billing address, the row with its history
 * entry, and groups, then the `customerUpdated` hook. Undone, when a later step fails, the last
 * write first; a failure inside it (a write, a `customerUpdated` handler) undoes what it had
 * written itself (workflows-sdk compensates the steps before a failed one only).
 */
export const updateCustomerStep = (hooks: UpdateHooks) =>
  customerStep<UpdateCustomerWorkflowInput, CustomerUpdate>(
    "medusa-plugin-customers:update-customer",
    async (input, tools) => {
      await runHook(hooks.validate, () => ({ id: input.id, update: withoutPassword(input.update) }), tools)
      const prepared = await notFoundFirst(input.id, () => prepareUpdate(input, tools), tools)
      const locked = await lockFirst(input, prepared, tools)
      await assertEmailFree(input.id, prepared.email, tools)
      const done: Partial<CustomerUpdate> = {}
      try {
        done.billing = await updateBillingAddress(input.id, input.update, locked, tools)
        done.row = await writeRow(input, prepared, done.billing, tools)
        // recorded first: memberships half replaced are put back too
        done.groupsAfter = prepared.groupIds
        await replaceGroups(input.id, prepared.groupIds, tools)
        const row = done.row
        await runHook(hooks.customerUpdated, () => ({ before: row.before, after: row.after }), tools)
      } catch (err) {
        await undoQuietly(() => undoUpdate(done, tools), tools)
        throw err
      }
      return { ...(done as Omit<CustomerUpdate, "customer">), customer: updatedCustomer(input, done as CustomerUpdate) }
    },
    async (done, tools) => await undoUpdate(done, tools)
  )

const withoutPassword = ({ password: _password, ...update }: Update): UpdateValidateData["update"] => update
