import type { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import type { EntityManager } from "typeorm"
import type CustomerService from "../../../../services/customer"
import { parseIfMatch, setCustomerEtag } from "../../../etag"
import { toRetrieveConfig } from "../query-config"
import type { AdminGetCustomerParams, AdminPostCustomersCustomerReq } from "../validators"

/** GET /admin/customers/:id — one customer, with orders and shipping addresses by default, and its ETag. */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const config = toRetrieveConfig(req.validatedQuery as AdminGetCustomerParams)
  const customer = await customerService.retrieveForAdmin(req.params.id, config)
  setCustomerEtag(res, customer)
  res.json({ customer })
}

/**
 * POST /admin/customers/:id — update a customer; metadata is merged, groups
 * replaced. With `If-Match`, a stale ETag is a 412 and nothing is written.
 */
export async function POST(req: MedusaRequest<AdminPostCustomersCustomerReq>, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const manager = req.scope.resolve<EntityManager>("manager")
  const id = req.params.id
  const body = req.validatedBody

  if (body.email) {
    const current = await customerService.retrieveForAdmin(id, { relations: [], select: ["id", "email", "has_account"] })
    // The dashboard's edit form always sends the email: an unchanged one is not a change.
    if (current.has_account && body.email !== String(current.email).toLowerCase()) {
      throw new MedusaError(
        MedusaError.Types.INVALID_DATA,
        "Email cannot be changed when the user has registered their account"
      )
    }
  }

  const ifMatch = parseIfMatch(req.get("If-Match"))
  await manager.transaction((tm) => customerService.withTransaction(tm).update(id, body, { ifMatch }))
  const customer = await customerService.retrieveForAdmin(id, toRetrieveConfig(req.validatedQuery as AdminGetCustomerParams))
  setCustomerEtag(res, customer)
  res.json({ customer })
}
