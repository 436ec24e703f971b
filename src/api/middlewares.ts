import type { MedusaNextFunction, MedusaRequest, MedusaResponse, MiddlewaresConfig } from "@medusajs/medusa"
import { errorHandler } from "@medusajs/medusa"
import { PreconditionFailedError } from "../lib/errors"
import {
  AdminGetCustomerHistoryParams,
  AdminGetCustomerParams,
  AdminGetCustomersParams,
  AdminPostCustomersCustomerReq,
  AdminPostCustomersReq,
} from "./admin/customers/validators"
import { requireLiveAdmin } from "./auth"
import { bindRequestContext } from "./request-context"
import { json } from "express"
import { hashPasswordFirst, hashSignedInCustomersPassword } from "./hash-password-first"
import { bodyErrorHandler, validateBody, validateCustomerId, validateQuery } from "./validate"

const medusaErrorHandler = errorHandler()

/** Medusa's error handler, plus 412 for a stale If-Match (a status Medusa's handler does not know). */
function customersErrorHandler(err: unknown, req: MedusaRequest, res: MedusaResponse, next: MedusaNextFunction): void {
  if (err instanceof PreconditionFailedError) {
    res.status(err.status).json({ type: err.type, message: err.message })
    return
  }
  medusaErrorHandler(err as Parameters<typeof medusaErrorHandler>[0], req, res, next)
}

/** Validation at the edge, once per path and method; handlers read validated input only. */
export const config: MiddlewaresConfig = {
  errorHandler: customersErrorHandler,
  routes: [
    {
      // first: every request's actor and id, for whatever it changes (lib/request-context.ts)
      method: "USE",
      matcher: "/",
      middlewares: [bindRequestContext],
    },
    {
      // after Medusa's authenticate(): only live admins, and no session stored for token requests
      method: "USE",
      matcher: "/admin/customers",
      middlewares: [requireLiveAdmin],
    },
    {
      // Body-parser failures (malformed JSON, oversize bodies) on any customers path.
      // Express skips route-level handlers while an error is pending, so this is a `use`.
      method: "USE",
      matcher: "/admin/customers",
      middlewares: [bodyErrorHandler],
    },
    {
      method: "GET",
      matcher: "/admin/customers",
      middlewares: [validateQuery(AdminGetCustomersParams)],
    },
    {
      method: "POST",
      matcher: "/admin/customers",
      middlewares: [validateBody(AdminPostCustomersReq), hashPasswordFirst],
    },
    {
      method: "GET",
      matcher: "/admin/customers/:id",
      middlewares: [validateCustomerId, validateQuery(AdminGetCustomerParams)],
    },
    {
      method: "GET",
      matcher: "/admin/customers/:id/history",
      middlewares: [validateCustomerId, validateQuery(AdminGetCustomerHistoryParams)],
    },
    {
      method: "POST",
      matcher: "/admin/customers/:id",
      middlewares: [
        validateCustomerId,
        validateQuery(AdminGetCustomerParams),
        validateBody(AdminPostCustomersCustomerReq),
        hashPasswordFirst,
      ],
    },
    // core's storefront routes that take a new password: sign-up, and a signed-in customer's profile.
    // Core parses their JSON only after every plugin middleware: the same parser (express's, its
    // default limit) runs first, and core's then finds the body parsed and skips it.
    { method: "POST", matcher: "/store/customers", middlewares: [json(), hashPasswordFirst] },
    { method: "POST", matcher: "/store/customers/me", middlewares: [json(), hashSignedInCustomersPassword] },
  ],
}
