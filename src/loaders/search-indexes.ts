import type { Logger, MedusaContainer } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import { repairCustomerCounts } from "../lib/customer-count"
import { ensureSearchIndexes } from "../lib/search-indexes"
import { CustomersPluginOptions, validateOptions } from "../options"

/**
 * At start-up, makes the customer counters exact again if writes with
 * triggers disabled left them wrong (awaited: the instance serves exact
 * counts), then builds missing search indexes in the background (large
 * stores: the migration leaves them to this concurrent build). The store
 * serves meanwhile; searches are correct without the indexes, only slower.
 */
export default async function searchIndexesLoader(container: MedusaContainer, options?: CustomersPluginOptions): Promise<void> {
  // an invalid option stops here with an error naming it (Medusa logs a failed loader)
  const { buildIndexesOnStart } = validateOptions(options)
  const manager = container.resolve<EntityManager>("manager")
  const logger = container.resolve<Logger>("logger")
  await repairCustomerCounts(manager.connection, logger)
  if (buildIndexesOnStart) void ensureSearchIndexes(manager.connection, logger)
}
