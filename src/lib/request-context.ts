import { AsyncLocalStorage } from "async_hooks"
import { randomUUID } from "crypto"

/** Who made a change: the admin user, the signed-in customer, or nobody known (scripts, jobs, guests). */
export type Actor = { type: "user" | "customer" | "system"; id: string | null }

export const SYSTEM_ACTOR: Actor = { type: "system", id: null }

/** What the request that is running knows of itself (api/request-context.ts binds it). */
export type RequestInfo = {
  /** Read when a change is recorded, after Medusa's authentication has run. */
  actor: () => Actor
  requestId: string
}

/**
 * The one request-scoped context of the plugin: everything a request starts,
 * awaited or not (its transaction, the workflows, their steps), sees it.
 */
export type RequestContext = {
  request?: RequestInfo
  /** A password and its hash, computed before the request's transaction opened (lib/password.ts). */
  prehashed?: { password: string; hash: string }
}

const storage = new AsyncLocalStorage<RequestContext>()

/** Runs `work` with `patch` added to the current context (nested runs keep what they do not replace). */
export function withRequestContext<T>(patch: RequestContext, work: () => T): T {
  return storage.run({ ...storage.getStore(), ...patch }, work)
}

export function requestContext(): RequestContext {
  return storage.getStore() ?? {}
}

/** The actor and request id a change is recorded with: the request's, else the system and a fresh id. */
export function changeOrigin(): { actor: Actor; requestId: string } {
  const request = requestContext().request
  return request ? { actor: request.actor(), requestId: request.requestId } : { actor: SYSTEM_ACTOR, requestId: randomUUID() }
}
