import type { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import type { EntityManager } from "typeorm"
import type CustomerService from "../../../../services/customer"
import { toRetrieveConfig } from "../query-config"
import type { AdminGetCustomerParams, AdminPostCustomersCustomerReq } from "../validators"

/** GET /admin/customers/:id — one customer, with orders and shipping addresses by default. */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const config = toRetrieveConfig(req.validatedQuery as AdminGetCustomerParams)
  const customer = await customerService.retrieveForAdmin(req.params.id, config)
  res.json({ customer })
}

/** POST /admin/customers/:id — update a customer; metadata is merged, groups replaced. */
export async function POST(req: MedusaRequest<AdminPostCustomersCustomerReq>, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const manager = req.scope.resolve<EntityManager>("manager")
  const id = req.params.id
  const body = req.validatedBody

  const current = await customerService.retrieveForAdmin(id, { relations: [], select: ["id", "email", "has_account"] })
  // The dashboard's edit form always sends the email: an unchanged one is not a change.
  if (body.email && current.has_account && body.email !== current.email.toLowerCase()) {
    throw new MedusaError(
      MedusaError.Types.INVALID_DATA,
      "Email cannot be changed when the user has registered their account"
    )
  }

  await manager.transaction((tm) => customerService.withTransaction(tm).update(id, body))
  const customer = await customerService.retrieveForAdmin(id, toRetrieveConfig(req.validatedQuery as AdminGetCustomerParams))
  res.json({ customer })
}
