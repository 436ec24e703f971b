import type { Logger, MedusaContainer } from "@medusajs/medusa"
import type { EntityManager } from "typeorm"
import { ensureSearchIndexes } from "../lib/search-indexes"

/**
 * At start-up, builds missing search indexes in the background (large stores:
 * the migration leaves them to this concurrent build). The store serves
 * meanwhile; searches are correct without the indexes, only slower.
 */
export default async function searchIndexesLoader(container: MedusaContainer): Promise<void> {
  const manager = container.resolve<EntityManager>("manager")
  const logger = container.resolve<Logger>("logger")
  void ensureSearchIndexes(manager.connection, logger)
}
