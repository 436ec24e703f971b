import type { Logger } from "@medusajs/medusa"
import { randomUUID } from "crypto"
import type { ExportedWorkflow } from "@medusajs/workflows-sdk"
import { MedusaError } from "medusa-core-utils"
import { ABORTED_TRANSACTION, resolveOutputs, RUN_STATE, RunState, StepTools } from "./context"

/**
 * Runs a customer workflow in the caller's transaction (`tools.manager`) and
 * returns its result. When a step fails, workflows-sdk runs the compensations
 * of the steps before it, then this throws the step's error as thrown (its
 * MedusaError type decides the response); a compensation that failed is logged.
 */
type Workflow<I, O> = (modules: never[]) => Pick<ExportedWorkflow<I, O>, "run">
type Runner<I, O> = Pick<ExportedWorkflow<I, O>, "run">

/**
 * One runner per workflow, made once: making one copies the workflow's definition and
 * handlers. A runner keeps nothing of a run but the context of the last one, which the steps
 * never read from it (each gets its run's context), so concurrent runs share it safely.
 * No container for workflows-sdk: it would copy the store's (every registration); the
 * steps take the store's from `tools`.
 */
const runners = new WeakMap<object, object>()

function runnerOf<I, O>(workflow: Workflow<I, O>): Runner<I, O> {
  let runner = runners.get(workflow) as Runner<I, O> | undefined
  if (!runner) runners.set(workflow, (runner = workflow([])))
  return runner
}

export async function runCustomerWorkflow<I, O>(workflow: Workflow<I, O>, tools: StepTools, input: I): Promise<O> {
  // one random id per run: the run's id for workflows-sdk, and the token its output keys start with
  const runId = `cuswf_${randomUUID()}`
  const state: RunState = { tools, outputs: new Map(), token: `${runId}:` }
  const { result, errors, transaction } = await runnerOf(workflow).run({
    input,
    context: { transactionId: runId, transactionManager: tools.manager, [RUN_STATE]: state } as never,
    throwOnError: false,
  })
  // the run's `errors` are its invocations' only: a compensation's are kept on the transaction
  const failedUndo = transaction
    .getErrors()
    .filter((e) => e.handlerType === "compensate" && (e.error as { code?: string })?.code !== ABORTED_TRANSACTION)
  for (const { action, error } of failedUndo) {
    tools.container.resolve<Logger>("logger").warn(`[medusa-plugin-customers] undoing ${action} failed: ${(error as Error)?.message}`)
  }
  if (state.error) throw state.error.thrown
  if (errors.length) {
    throw new MedusaError(MedusaError.Types.UNEXPECTED_STATE, errors.map((e) => (e.error as Error)?.message).join("; "))
  }
  return resolveOutputs(result, state) as O
}
