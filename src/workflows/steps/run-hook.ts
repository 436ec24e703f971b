import type { WorkflowHook } from "../hooks"
import { asJson, StepTools } from "../context"

/**
 * Runs a hook's handlers (none: nothing to do, not even the data made) inside
 * the step that calls it, with the data `data()` makes as a JSON copy of their
 * own: what a handler changes in it reaches neither the event, nor the caller,
 * nor the undo. A handler that throws fails that step, which undoes what it
 * wrote; handlers do their own undoing of anything else.
 */
export async function runHook<T>(hook: WorkflowHook<T>, data: () => T, { container, manager }: StepTools): Promise<void> {
  if (hook.size) await hook.run(asJson(data()), { container, manager })
}
