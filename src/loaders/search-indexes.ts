import type { Logger, MedusaContainer } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import { ensureSearchIndexes } from "../lib/search-indexes"
import { CustomersPluginOptions, validateOptions } from "../options"

/**
 * At start-up, builds missing search indexes in the background (large stores:
 * the migration leaves them to this concurrent build). The store serves
 * meanwhile; searches are correct without the indexes, only slower.
 */
export default async function searchIndexesLoader(container: MedusaContainer, options?: CustomersPluginOptions): Promise<void> {
  // an invalid option stops here with an error naming it (Medusa logs a failed loader)
  if (!validateOptions(options).buildIndexesOnStart) return
  const manager = container.resolve<EntityManager>("manager")
  const logger = container.resolve<Logger>("logger")
  void ensureSearchIndexes(manager.connection, logger)
}
