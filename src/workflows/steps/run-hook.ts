import type { WorkflowHook } from "../hooks"
import { asJson, customerStep } from "../context"

/**
 * The step that runs a hook's handlers (none: nothing to do) with the data
 * `dataOf` makes of the step's input, as a JSON copy of their own: what a
 * handler changes in it reaches neither the event, nor the caller, nor the
 * undo. Handlers do their own undoing: the step has no compensation of its own.
 */
export function hookStep<I, T>(name: string, hook: WorkflowHook<T>, dataOf: (input: I) => T) {
  return customerStep<I, null>(name, async (input, { container, manager }) => {
    if (hook.size) await hook.run(asJson(dataOf(input)), { container, manager })
    return null
  })
}
