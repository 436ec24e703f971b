import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { hashPassword, withPrehashed } from "../lib/password"

/**
 * Hashes the request's `password` before the route opens its transaction, so
 * the scrypt hash (and the wait for the hash limiter) holds no pool
 * connection; the customer service takes that hash for that exact password
 * (lib/password.ts `passwordHash`). A body without a password passes through.
 */
export function hashPasswordFirst(req: MedusaRequest, _res: MedusaResponse, next: MedusaNextFunction): void {
  const password = (req.body as { password?: unknown } | undefined)?.password
  if (typeof password !== "string" || password === "") return next()
  hashPassword(password).then(
    (hash) => withPrehashed(password, hash, () => next()),
    (err: unknown) => next(err)
  )
}


/**
 * `POST /store/customers/me` is for a signed-in customer: hash early only when
 * the request says it has one (a session with a customer, or a bearer token),
 * so an anonymous request is refused by core without costing a hash first.
 * Password resets are not hashed early: core checks the reset token first, and
 * a reset is rare enough to hash inside its transaction.
 */
export function hashSignedInCustomersPassword(req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  const session = (req as MedusaRequest & { session?: { customer_id?: unknown } }).session
  const signedIn = typeof session?.customer_id === "string" || /^Bearer\s/i.test(req.get("authorization") ?? "")
  if (!signedIn) return next()
  hashPasswordFirst(req, res, next)
}
