import type { Logger } from "@medusajs/medusa"
import type { ExportedWorkflow } from "@medusajs/workflows-sdk"
import { MedusaError } from "medusa-core-utils"
import { RUN_STATE, RunState, StepTools } from "./context"

/** Codes of a statement refused because the transaction had already failed: nothing left to undo there. */
const ABORTED_TRANSACTION = "25P02"

/**
 * Runs a customer workflow in the caller's transaction (`tools.manager`) and
 * returns its result. When a step fails, workflows-sdk runs the compensations
 * of the steps before it, then this throws the step's error as thrown (its
 * MedusaError type decides the response); a compensation that failed is logged.
 */
export async function runCustomerWorkflow<I, O>(
  workflow: (modules: never[]) => Pick<ExportedWorkflow<I, O>, "run">,
  tools: StepTools,
  input: I
): Promise<O> {
  const state: RunState = { tools }
  // No container for workflows-sdk: it would copy the store's (every registration, on every run);
  // the steps take the store's from `tools`.
  const { result, errors } = await workflow([]).run({
    input,
    context: { transactionManager: tools.manager, [RUN_STATE]: state } as never,
    throwOnError: false,
  })
  const failedUndo = errors.filter((e) => e.handlerType === "compensate" && (e.error as { code?: string })?.code !== ABORTED_TRANSACTION)
  for (const { action, error } of failedUndo) {
    tools.container.resolve<Logger>("logger").warn(`[medusa-plugin-customers] undoing ${action} failed: ${(error as Error)?.message}`)
  }
  if (state.error) throw state.error.thrown
  if (errors.length) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, errors.map((e) => (e.error as Error)?.message).join("; "))
  }
  return result as O
}
