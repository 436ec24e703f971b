import type { MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import type CustomerService from "../../../../../services/customer"
import type { AdminGetCustomerHistoryParams } from "../../validators"

/** GET /admin/customers/:id/history — who changed the customer, when, and what; newest first. */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const { limit, offset } = req.validatedQuery as unknown as AdminGetCustomerHistoryParams
  const [history, count] = await customerService.listHistory(req.params.id, { skip: offset, take: limit })
  res.json({ history, count, offset, limit })
}
