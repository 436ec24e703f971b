import { createStep, StepExecutionContext, StepResponse } from "@medusajs/workflows-sdk"
import { MedusaError } from "medusa-core-utils"
import type { EntityManager } from "typeorm"
import type CustomerService from "../services/customer"
import type { StoreContainer } from "./hooks"

/**
 * What the customer workflows' steps work with: the caller's transaction, the
 * customerService bound to it (a store's subclass included) and the store's
 * container (for hook handlers). The service's
 * create/update run the workflows (workflows/run.ts) and pass it in the run's
 * context, which workflows-sdk hands to every step by reference.
 */
export type StepTools = {
  manager: EntityManager
  customerService: CustomerService
  container: StoreContainer
}

/**
 * The run's own state: the tools, the first error a step threw, as thrown
 * (workflows-sdk keeps only a copy), each step's output by reference key, and
 * the run's own random token that every such key starts with. Steps never
 * change an input they get; hook handlers get copies (steps/run-hook.ts).
 */
export type RunState = { tools: StepTools; error?: { thrown: unknown }; outputs: Map<string, unknown>; token: string }

export const RUN_STATE = "medusaPluginCustomers"

/**
 * What travels between the steps in place of an output: a key into the run's
 * outputs. workflows-sdk 0.1.8 copies a step's output and, for every step that
 * takes it, copies it again, awaits each of its properties one by one and
 * round-trips it through JSON: for a customer before and after an update that
 * cost more than the update's own statement. A step's input is an output, an
 * object whose properties are outputs, or plain data (the workflow's input);
 * only a key with this run's token is taken for an output, so no data a client
 * sends can pass for one.
 */
type OutputRef = { [OUTPUT_REF]: string }
const OUTPUT_REF = "__medusaPluginCustomersOutput"

function outputKey(value: unknown, state: RunState): string | undefined {
  if (typeof value !== "object" || value === null) return undefined
  const key = (value as OutputRef)[OUTPUT_REF]
  return typeof key === "string" && key.startsWith(state.token) && state.outputs.has(key) ? key : undefined
}

/** `value` with the outputs it refers to, itself or as its properties, put back. */
export function resolveOutputs(value: unknown, state: RunState): unknown {
  const resolve = (v: unknown) => {
    const key = outputKey(v, state)
    return key === undefined ? v : state.outputs.get(key)
  }
  if (outputKey(value, state) !== undefined || typeof value !== "object" || value === null || Array.isArray(value)) return resolve(value)
  const entries = Object.entries(value)
  return entries.some(([, v]) => outputKey(v, state) !== undefined) ? Object.fromEntries(entries.map(([k, v]) => [k, resolve(v)])) : value
}

/** A copy as JSON would carry it (dates as ISO strings), or undefined. */
export function asJson<T>(value: T): T {
  return value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T)
}

function runState(context: StepExecutionContext): RunState {
  const state = (context.context as Record<string, unknown>)[RUN_STATE] as RunState | undefined
  if (!state) {
    throw new MedusaError(
      MedusaError.Types.UNEXPECTED_STATE,
      `${context.workflowId} runs inside customerService.create / update (they open its transaction): call those`
    )
  }
  return state
}

/**
 * `createStep(name, invoke, compensate)` for the customer workflows: both
 * functions get the run's tools; what `invoke` returns is its output and, as
 * workflows-sdk does, the compensation's input, both kept in the run's state
 * (OutputRef). An error `invoke` throws is kept as thrown, so the caller gets
 * its MedusaError type.
 */
export function customerStep<I, O>(
  name: string,
  invoke: (input: I, tools: StepTools) => Promise<O>,
  compensate?: (output: O, tools: StepTools) => Promise<void>
) {
  return createStep<I, O, O>(
    name,
    async (input, context) => {
      const state = runState(context)
      try {
        const key = `${state.token}${name}`
        state.outputs.set(key, await invoke(resolveOutputs(input, state) as I, state.tools))
        return new StepResponse({ [OUTPUT_REF]: key } as unknown as O)
      } catch (err) {
        state.error ??= { thrown: err }
        throw err
      }
    },
    compensate &&
      (async (output, context) => {
        // a step that failed has no output: it wrote nothing it could undo here
        const state = runState(context)
        const done = output === undefined ? undefined : (resolveOutputs(output, state) as O | undefined)
        if (done === undefined || done === null) return
        await compensate(done, state.tools)
      })
  )
}

/** Codes of a statement refused because the transaction had already failed: nothing left to undo there. */
export const ABORTED_TRANSACTION = "25P02"

/**
 * Runs `undo` after a step's own failure; an undo that fails is logged (the step's error is
 * what the caller gets), or ignored when the transaction had failed anyway (it rolls back).
 */
export async function undoQuietly(undo: () => Promise<void>, { container }: StepTools): Promise<void> {
  try {
    await undo()
  } catch (err) {
    if ((err as { code?: string })?.code === ABORTED_TRANSACTION) return
    container.resolve<{ warn(message: string): void }>("logger").warn(`[medusa-plugin-customers] undoing a failed write failed: ${(err as Error)?.message}`)
  }
}
