import type { MedusaNextFunction, MedusaRequest, MedusaResponse, UserService } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"

type AuthenticatedUser = { userId?: string; id?: string } | undefined

function hasSessionCookie(req: MedusaRequest): boolean {
  return /(?:^|;\s*)connect\.sid=/.test(req.headers.cookie ?? "")
}

/**
 * Runs after Medusa's `authenticate()` on the customers routes:
 * - a signed admin JWT or session is accepted only while its user exists
 *   (core accepts tokens of deleted or never-existing users);
 * - a request that did not come with a session cookie (API token, bearer JWT)
 *   gets no stored session and no Set-Cookie (core stores one per request).
 */
export function requireLiveAdmin(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  if (!hasSessionCookie(req)) req.session = null
  const user = (req as MedusaRequest & { user?: AuthenticatedUser }).user
  // API tokens were checked by the store's authService through the API-token strategy (loaders/resilient-api-token.ts)
  if (user?.id && !user.userId) return next()
  const userId = user?.userId
  if (!userId) {
    res.status(401).send("Unauthorized")
    return
  }
  req.scope
    .resolve<UserService>("userService")
    .retrieve(userId, { select: ["id"] })
    .then(
      () => next(),
      (err: { type?: string }) => {
        // a deleted or unknown user is a 401; a database failure stays an error
        if (err?.type === MedusaError.Types.NOT_FOUND) res.status(401).send("Unauthorized")
        else next(err)
      }
    )
}
