import type { WorkflowHook } from "../hooks"
import { customerStep } from "../context"

/**
 * The step that runs a hook's handlers (none: nothing to do) with the data
 * `dataOf` makes of the step's input. Handlers do their own undoing: the step
 * has no compensation of its own.
 */
export function hookStep<I, T>(name: string, hook: WorkflowHook<T>, dataOf: (input: I) => T) {
  return customerStep<I, null>(name, async (input, { container, manager }) => {
    await hook.run(dataOf(input), { container, manager })
    return null
  })
}
