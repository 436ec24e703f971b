import type { ConfigModule, MedusaRequest, MedusaResponse } from "@medusajs/medusa"
import { MedusaError } from "medusa-core-utils"
import type { EntityManager } from "typeorm"
import { fingerprintSecret, requestFingerprint, runIdempotent } from "../../../lib/idempotency"
import type CustomerService from "../../../services/customer"
import { setCustomerEtag } from "../../etag"
import { toListQuery } from "./query-config"
import type { AdminGetCustomersParams, AdminPostCustomersReq } from "./validators"

/** Express settings `res.json` honours and a body written as text would not. */
const JSON_SETTINGS = ["json spaces", "json replacer", "json escape"]

/** GET /admin/customers — list and search customers. */
export async function GET(req: MedusaRequest, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const { filters, config } = toListQuery(req.validatedQuery as unknown as AdminGetCustomersParams)
  if (JSON_SETTINGS.some((setting) => req.app.get(setting) !== undefined)) {
    // an app that formats its JSON: the objects go through res.json like everything else it sends
    const [customers, count] = await customerService.listAndCountForAdmin(filters, config)
    res.json({ customers, count, offset: config.skip, limit: config.take })
    return
  }
  const body = await customerService.listForAdminAsJson(filters, config)
  res.type("application/json").send(body)
}

function idempotencyKey(req: MedusaRequest): string | undefined {
  const key = req.get("Idempotency-Key")
  if (key === undefined) return undefined
  if (key.length === 0 || key.length > 255) {
    throw new MedusaError(MedusaError.Types.INVALID_DATA, "Idempotency-Key must be 1 to 255 characters")
  }
  return key
}

/**
 * POST /admin/customers — create a customer with an account. With an
 * Idempotency-Key (medusa-js sends one on every POST when it may retry), a
 * replay gets the original status and body and creates nothing.
 */
export async function POST(req: MedusaRequest<AdminPostCustomersReq>, res: MedusaResponse): Promise<void> {
  const customerService = req.scope.resolve<CustomerService>("customerService")
  const manager = req.scope.resolve<EntityManager>("manager")
  const create = async (tm: EntityManager) => {
    const service = customerService.withTransaction(tm)
    const created = await service.create(req.validatedBody)
    return { status: 201, body: { customer: await service.retrieveForAdmin(created.id, { relations: [] }) } }
  }

  const key = idempotencyKey(req)
  if (!key) {
    const { status, body } = await manager.transaction(create)
    setCustomerEtag(res, body.customer)
    res.status(status).json(body)
    return
  }
  const secret = fingerprintSecret(req.scope.resolve<ConfigModule>("configModule").projectConfig)
  const stored = await runIdempotent(manager, key, requestFingerprint(secret, "POST", req.path, req.validatedBody), create)
  const body = JSON.parse(stored.body) as { customer?: Record<string, unknown> }
  if (body.customer) setCustomerEtag(res, body.customer)
  if (stored.replayed) res.setHeader("Idempotent-Replayed", "true")
  res.status(stored.status).type("application/json").send(stored.body)
}
