import type { AuthService, MedusaContainer } from "@medusajs/medusa"
import type { Request } from "express"
import passport from "passport"
import { Strategy as CustomStrategy } from "passport-custom"

type ScopedRequest = Request & { scope: MedusaContainer }

/**
 * Core's `admin-api-token` strategy awaits the user lookup without a catch:
 * while PostgreSQL is unreachable every API-token request is an unhandled
 * rejection that kills the server. The same strategy, with the failure passed
 * to passport (the request gets a 500, the process lives). Runs after core's
 * passport set-up, so this registration replaces core's.
 */
export default async function resilientApiTokenLoader(): Promise<void> {
  // passport-custom ships its own copy of the express typings: hence the cast
  const strategy = new CustomStrategy(async (req, done) => {
      const token = req.headers["x-medusa-access-token"]
      if (!token || typeof token !== "string") return done(null, false)
      try {
        const auth = await (req as unknown as ScopedRequest).scope.resolve<AuthService>("authService").authenticateAPIToken(token)
        return done(null, auth.success ? auth.user : false)
      } catch (err) {
        return done(err)
      }
    })
  passport.use("admin-api-token", strategy as unknown as passport.Strategy)
}
