import { MigrationInterface, QueryRunner } from "typeorm"

/**
 * The customer history (models/customer-history.ts): a new table, nothing of
 * core's touched. Entries go with their customer when it is deleted for good
 * (Medusa soft-deletes customers: their history stays). One customer's page,
 * newest first, reads its index in order.
 */
export class CustomerHistory1764500000000 implements MigrationInterface {
  name = "CustomerHistory1764500000000"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE customer_history (
         id text PRIMARY KEY,
         customer_id text NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
         action text NOT NULL CHECK (action IN ('created', 'updated')),
         actor jsonb NOT NULL,
         changes jsonb NOT NULL,
         groups jsonb,
         request_id text NOT NULL,
         created_at timestamptz NOT NULL DEFAULT clock_timestamp()
       )`
    )
    await queryRunner.query(
      `CREATE INDEX "IDX_customer_history_customer_created" ON customer_history (customer_id, created_at DESC, id DESC)`
    )
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE IF EXISTS customer_history`)
  }
}
