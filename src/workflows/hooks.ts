import type { ExportedWorkflow } from "@medusajs/workflows-sdk"
import type { EntityManager } from "typeorm"

/** The store's container, as far as a handler needs it: `container.resolve("productService")`. */
export type StoreContainer = { resolve<T = unknown>(name: string): T }

/** The store's container over the cradle Medusa gives its services (their first constructor argument). */
export function storeContainer(cradle: Record<string, unknown>): StoreContainer {
  return { resolve: <T>(name: string) => cradle[name] as T }
}

/** What a hook handler gets besides its data: the store's container and the transaction the change runs in. */
export type HookContext = { container: StoreContainer; manager: EntityManager }

export type HookHandler<T> = (data: T, context: HookContext) => unknown | Promise<unknown>

/**
 * An extension point of a workflow (workflows-sdk 0.1.8's own `hook()` fails a
 * run without a handler and keeps only the first handler of a workflow): any
 * number of handlers, run one after another in registration order inside the
 * step the hook belongs to; one that throws fails that step, and the workflow
 * undoes what it did. `register` returns a function that removes the handler.
 */
export class WorkflowHook<T> {
  private readonly handlers: HookHandler<T>[] = []

  constructor(readonly name: string) {}

  readonly register = (handler: HookHandler<T>): (() => void) => {
    if (typeof handler !== "function") throw new TypeError(`The ${this.name} hook takes a function`)
    this.handlers.push(handler)
    return () => {
      const index = this.handlers.indexOf(handler)
      if (index >= 0) this.handlers.splice(index, 1)
    }
  }

  /** How many handlers are registered. */
  get size(): number {
    return this.handlers.length
  }

  async run(data: T, context: HookContext): Promise<void> {
    for (const handler of [...this.handlers]) await handler(data, context)
  }
}

/**
 * A customer workflow as the package exports it: what workflows-sdk's `createWorkflow` returns,
 * as far as the plugin uses it (`workflow([]).run(…)`), and its hooks' registration functions.
 * Spelled out so that its declaration names no package a store may not have installed.
 */
export type CustomerWorkflow<I, O, Hooks> = ((modules: never[]) => Pick<ExportedWorkflow<I, O>, "run">) & { hooks: Hooks }
