import type { WorkflowHook } from "../hooks"
import { customerStep } from "../context"

/**
 * The step that runs a hook's handlers (none: nothing to do). Handlers do
 * their own undoing: the step has no compensation of its own.
 */
export function hookStep<T>(name: string, hook: WorkflowHook<T>) {
  return customerStep<T, null>(name, async (data, { container, manager }) => {
    await hook.run(data, { container, manager })
    return null
  })
}
