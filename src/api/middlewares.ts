import type { MiddlewaresConfig } from "@medusajs/medusa"
import {
  AdminGetCustomerParams,
  AdminGetCustomersParams,
  AdminPostCustomersCustomerReq,
  AdminPostCustomersReq,
} from "./admin/customers/validators"
import { bodyErrorHandler, validateBody, validateQuery } from "./validate"

/** Validation at the edge, once per path and method; handlers read validated input only. */
export const config: MiddlewaresConfig = {
  routes: [
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
      middlewares: [validateBody(AdminPostCustomersReq)],
    },
    {
      method: "GET",
      matcher: "/admin/customers/:id",
      middlewares: [validateQuery(AdminGetCustomerParams)],
    },
    {
      method: "POST",
      matcher: "/admin/customers/:id",
      middlewares: [validateQuery(AdminGetCustomerParams), validateBody(AdminPostCustomersCustomerReq)],
    },
  ],
}
