import type { AuthService, MedusaContainer } from "@medusajs/medusa"
import type { Request } from "express"
import passport from "passport"
import { Strategy as CustomStrategy } from "passport-custom"

type ScopedRequest = Request & { scope: MedusaContainer; [API_TOKEN_USER]?: unknown }

/** The user an API token resolved to, kept on the request. */
const API_TOKEN_USER = Symbol("medusa-plugin-customers.apiTokenUser")

/**
 * Core's `admin-api-token` strategy awaits the user lookup without a catch:
 * while PostgreSQL is unreachable every API-token request is an unhandled
 * rejection that kills the server. The same strategy, with the failure passed
 * to passport (the request gets a 500, the process lives). Runs after core's
 * passport set-up, so this registration replaces core's.
 *
 * Medusa's file router authenticates a request once per matching route prefix
 * (`/admin/customers` and `/admin/customers/:id` both match a customer's path),
 * so the user found for a token is kept on the request: one lookup, not two.
 */
export default async function resilientApiTokenLoader(): Promise<void> {
  // passport-custom ships its own copy of the express typings: hence the cast
  const strategy = new CustomStrategy(async (req, done) => {
      const token = req.headers["x-medusa-access-token"]
      if (!token || typeof token !== "string") return done(null, false)
      const scoped = req as unknown as ScopedRequest
      if (scoped[API_TOKEN_USER]) return done(null, scoped[API_TOKEN_USER])
      try {
        const auth = await scoped.scope.resolve<AuthService>("authService").authenticateAPIToken(token)
        if (auth.success) scoped[API_TOKEN_USER] = auth.user
        return done(null, auth.success ? auth.user : false)
      } catch (err) {
        return done(err)
      }
    })
  passport.use("admin-api-token", strategy as unknown as passport.Strategy)
}
