import type { MedusaNextFunction, MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { json } from "express"
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
 * For core's routes, which parse their body only after every plugin
 * middleware: the same JSON parser core applies (express's, default limit), run
 * first; core's own parser then sees the body parsed and skips it.
 */
export const parseJsonThenHashPassword = [json(), hashPasswordFirst]
