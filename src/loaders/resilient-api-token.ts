import type { AuthService, Logger, MedusaContainer, User } from "@medusajs/medusa"
import type { Request } from "express"
import passport from "passport"
import { Strategy as CustomStrategy, type VerifyCallback } from "passport-custom"
import type { EntityManager } from "typeorm"
import { apiTokenCache, listenForUserChanges } from "../lib/user-changes-listener"
import { type CustomersPluginOptions, validateOptions } from "../options"

type ScopedRequest = Request & { scope: MedusaContainer; [API_TOKEN_USER]?: User }

/** The user an API token resolved to, kept on the request. */
const API_TOKEN_USER = Symbol("medusa-plugin-customers.apiTokenUser")

/**
 * Core's `admin-api-token` strategy awaits `authService.authenticateAPIToken`
 * without a catch: while PostgreSQL is unreachable (its transaction cannot
 * begin) every API-token request is an unhandled rejection that kills the
 * server. The same strategy, with the failure passed to passport (the request
 * gets a 500, the process lives). Runs after core's passport set-up, so this
 * registration replaces core's, for every admin route.
 *
 * Tokens are still checked by the container's `authService`: core's, or the
 * store's own (a `services/auth` that overrides `authenticateAPIToken` is
 * honoured). The user it answers for a token is kept in memory while a
 * listener hears every change to the `user` table (lib/user-changes-listener.ts,
 * option `cacheApiTokens`): most requests then ask nothing at all. A store
 * whose `authenticateAPIToken` decides on more than the `user` table turns
 * that option off, or its decision may be up to 10 s old.
 *
 * Medusa's file router authenticates a request once per matching route prefix
 * (`/admin/customers` and `/admin/customers/:id` both match a customer's path),
 * so the user found for a token is kept on the request: one check, not two.
 */
type Done = (err: unknown, user?: User | false) => void

/**
 * The error passed on for a failed lookup: its message and code only. A
 * TypeORM `QueryFailedError` carries the statement's parameters (the token
 * itself), which Medusa's error handler would write to the log.
 */
function lookupFailure(err: unknown): Error {
  const e = err as { message?: unknown; code?: unknown } | null
  const failure = new Error(`API token lookup failed: ${typeof e?.message === "string" ? e.message : String(err)}`)
  return typeof e?.code === "string" ? Object.assign(failure, { code: e.code }) : failure
}

/** What `authService.authenticateAPIToken` answers for `token`, from the cache while it is live. */
async function authenticate(scope: MedusaContainer, token: string): Promise<User | undefined> {
  const cache = apiTokenCache(scope.resolve<EntityManager>("manager").connection)
  const kept = cache.get<User>(token)
  if (kept) return kept
  const generation = cache.generation()
  const readFrom = cache.time()
  const { success, user } = await scope.resolve<AuthService>("authService").authenticateAPIToken(token)
  if (!success || !user) return undefined
  cache.set(token, user, generation, readFrom)
  return user
}

/** The strategy's verify step: the user an API token belongs to, `false` for none. */
export async function verifyApiToken(req: Request, done: Done): Promise<void> {
  const token = req.headers["x-medusa-access-token"]
  if (!token || typeof token !== "string") return done(null, false)
  const scoped = req as ScopedRequest
  if (scoped[API_TOKEN_USER]) return done(null, scoped[API_TOKEN_USER])
  let user: User | undefined
  try {
    user = await authenticate(scoped.scope, token)
  } catch (err) {
    return done(lookupFailure(err), false)
  }
  if (!user) return done(null, false)
  scoped[API_TOKEN_USER] = user
  done(null, user)
}

export default async function resilientApiTokenLoader(container: MedusaContainer, options?: CustomersPluginOptions): Promise<void> {
  // passport-custom ships its own copy of the express typings: hence the casts
  const strategy = new CustomStrategy(verifyApiToken as unknown as VerifyCallback)
  passport.use("admin-api-token", strategy as unknown as passport.Strategy)
  // the users' API tokens are cached while a listener hears every change to them
  if (!validateOptions(options).cacheApiTokens) return
  listenForUserChanges(container.resolve<EntityManager>("manager").connection, container.resolve<Logger>("logger"))
}
