import { Customer as MedusaCustomer } from "@medusajs/medusa"
import { CustomerRepository } from "@medusajs/medusa/dist/repositories/customer"
import { Column, DataSource, Entity, EntityManager } from "typeorm"

/**
 * A store's extension of core's Customer, the Medusa v1 way (docs, "Extend an
 * Entity"): an entity subclass with a column of its own, a repository on it
 * with core's custom methods, and a migration adding the column.
 */
@Entity("customer")
export class ExtendedCustomer extends MedusaCustomer {
  @Column({ type: "text", nullable: true })
  loyalty_tier!: string | null
}

/** The store's `customerRepository` with the extension: core's repository methods on the extended entity. */
export function extendedCustomerRepository(dataSource: DataSource): typeof CustomerRepository {
  return dataSource.getRepository(ExtendedCustomer).extend({ listAndCount: CustomerRepository.listAndCount }) as unknown as typeof CustomerRepository
}

/** The extension's migration, run in each run's transaction (rolled back with it, so the shared test database keeps core's schema). */
export async function addExtensionColumn(manager: EntityManager): Promise<void> {
  await manager.query("ALTER TABLE customer ADD COLUMN loyalty_tier text")
}
