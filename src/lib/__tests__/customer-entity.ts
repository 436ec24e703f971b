import { Customer as MedusaCustomer } from "@medusajs/medusa"
import * as models from "@medusajs/medusa/dist/models"
import { Column, DataSource, Entity } from "typeorm"
import type { CustomerEntity } from "../customer-columns"

/** A store's extension of core's Customer, the v1 way (an entity subclass with a column of its own). */
@Entity()
export class ExtendedCustomer extends MedusaCustomer {
  @Column({ type: "text", nullable: true })
  loyalty_tier!: string | null

  @Column({ type: "jsonb", nullable: true, name: "loyalty_history" })
  history!: string[] | null
}

let built: DataSource | undefined

/**
 * TypeORM's real metadata for core's entities and the extension (built once,
 * no connection), as the service reads it from the customerRepository.
 */
export async function customerEntities(): Promise<{ core: CustomerEntity; extended: CustomerEntity }> {
  if (!built) {
    const entities = [...Object.values(models).filter((value) => typeof value === "function"), ExtendedCustomer]
    built = new DataSource({ type: "postgres", entities: entities as never })
    await (built as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas()
  }
  return {
    core: { metadata: built.getMetadata(MedusaCustomer), driver: built.driver },
    extended: { metadata: built.getMetadata(ExtendedCustomer), driver: built.driver },
  }
}
