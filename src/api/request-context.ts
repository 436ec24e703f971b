import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { randomUUID } from "crypto"
import { Actor, SYSTEM_ACTOR, withRequestContext } from "../lib/request-context"

/** What Medusa's authentication leaves on the request: `{ userId }` (session, JWT), the user (API token), `{ customer_id }`. */
type AuthenticatedAs = { userId?: string; id?: string; customer_id?: string } | undefined

/** A client's `x-request-id` of sane length (it is stored with each change), else a fresh one. */
export function requestIdOf(req: Pick<MedusaRequest, "get">): string {
  const given = req.get("x-request-id")
  return given && given.length <= 200 ? given : randomUUID()
}

/** The admin user on admin routes, the signed-in customer on storefront routes, else the system. */
export function actorOf(req: Pick<MedusaRequest, "originalUrl"> & { user?: unknown }): Actor {
  const user = req.user as AuthenticatedAs
  if (req.originalUrl.startsWith("/admin/")) {
    const id = user?.userId ?? user?.id
    if (id) return { type: "user", id }
  } else if (req.originalUrl.startsWith("/store/") && user?.customer_id) {
    return { type: "customer", id: user.customer_id }
  }
  return SYSTEM_ACTOR
}

/**
 * Binds the request to the plugin's request context (lib/request-context.ts)
 * for everything it runs. The actor is read when a change is recorded: core's
 * routes authenticate after every plugin middleware.
 */
export function bindRequestContext(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction): void {
  const requestId = requestIdOf(req)
  withRequestContext({ request: { requestId, actor: () => actorOf(req) } }, () => next())
}
