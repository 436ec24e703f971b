import { generateEntityId } from "@medusajs/medusa"
import { customerChanges, CustomerSnapshot, groupChanges } from "../../lib/customer-history"
import { changeOrigin } from "../../lib/request-context"
import { HISTORY_ID_PREFIX, HistoryAction } from "../../models/customer-history"
import { insertHistoryStatement } from "../../queries/customer-history"
import { customerStep } from "../context"

export type RecordHistoryInput = {
  action: HistoryAction
  customerId: string
  /** null for a customer just created */
  before: CustomerSnapshot | null
  after: CustomerSnapshot
  passwordChanged: boolean
  /** group ids before and after; `after` absent when the change did not touch them */
  groups?: { before: string[]; after?: string[] }
}

/**
 * Writes the change's history entry in the change's transaction, with the
 * request's actor and id (lib/request-context.ts). Undone by deleting it.
 */
export const recordHistoryStep = customerStep<RecordHistoryInput, { id: string }>(
  "medusa-plugin-customers:record-history",
  async (input, { manager }) => {
    const { actor, requestId } = changeOrigin()
    const id = generateEntityId(undefined, HISTORY_ID_PREFIX)
    const { sql, params } = insertHistoryStatement(id, {
      customer_id: input.customerId,
      action: input.action,
      actor,
      changes: customerChanges(input.before, input.after, { passwordChanged: input.passwordChanged }),
      groups: input.groups ? groupChanges(input.groups.before, input.groups.after) : null,
      request_id: requestId,
    })
    await manager.query(sql, params)
    return { id }
  },
  async ({ id }, { manager }) => {
    await manager.query("DELETE FROM customer_history WHERE id = $1", [id])
  }
)
