import { MigrationInterface, QueryRunner } from "typeorm"
import { DUPLICATE_TABLE, duplicateTableSql, EMAIL_UNIQUE_INDEX, emailUniqueIndexSql, recordDuplicatesSql } from "../lib/email-unique"
import { buildsIndexesInline } from "../lib/search-schema"

/**
 * Case-insensitive uniqueness of emails per kind (account / guest). Never fails
 * on existing case-variant duplicates and never changes them: they are recorded
 * in `customer_email_duplicate` (and logged) and left out of the unique index.
 * On a large table the index is built at start-up, concurrently.
 */
export class CustomerEmailUnique1764400000001 implements MigrationInterface {
  name = "CustomerEmailUnique1764400000001"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(duplicateTableSql)
    await queryRunner.query(recordDuplicatesSql)
    const duplicates: { customer_id: string }[] = await queryRunner.query(`SELECT customer_id FROM ${DUPLICATE_TABLE}`)
    if (duplicates.length) {
      console.warn(
        `[medusa-plugin-customers] ${duplicates.length} customers share an email with another customer of the same kind ` +
          `(case-insensitively); they are kept as they are and listed in ${DUPLICATE_TABLE}`
      )
    }
    if (await buildsIndexesInline(queryRunner)) {
      await queryRunner.query(emailUniqueIndexSql(duplicates.map((d) => d.customer_id), false))
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "${EMAIL_UNIQUE_INDEX}"`)
    await queryRunner.query(`DROP TABLE IF EXISTS ${DUPLICATE_TABLE}`)
  }
}
