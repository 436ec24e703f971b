import type { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import type CustomerService from "../../../services/customer"
import { toListQuery } from "./query-config"
import type { AdminGetCustomersParams, AdminPostCustomersReq } from "./validators"

/** GET /admin/customers — list and search customers. */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const { filters, config } = toListQuery(req.validatedQuery as unknown as AdminGetCustomersParams)
  const [customers, count] = await customerService.listAndCountForAdmin(filters, config)
  res.json({ customers, count, offset: config.skip, limit: config.take })
}

/** POST /admin/customers — create a customer with an account. */
export async function POST(req: MedusaRequest<AdminPostCustomersReq>, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const manager = req.scope.resolve<EntityManager>("manager")
  const created = await manager.transaction((tm) => customerService.withTransaction(tm).create(req.validatedBody))
  const customer = await customerService.retrieveForAdmin(created.id, { relations: [] })
  res.status(201).json({ customer })
}
