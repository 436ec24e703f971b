import { MigrationInterface, QueryRunner } from "typeorm"
import {
  DUPLICATE_MARK,
  DUPLICATE_TABLE,
  duplicateTableSql,
  EMAIL_UNIQUE_INDEX,
  emailUniqueIndexSql,
  markColumnSql,
  markDuplicatesSql,
  recordDuplicatesSql,
} from "../lib/email-unique"
import { buildsIndexesInline } from "../lib/search-schema"

/**
 * Case-insensitive uniqueness of emails per kind (account / guest). Never fails
 * on existing case-variant duplicates and never changes their data: they are
 * recorded in `customer_email_duplicate` (and logged), and all but the oldest
 * of each group marked and left out of the unique index (lib/email-unique).
 * On a large table the index is built at start-up, concurrently.
 */
export class CustomerEmailUnique1764400000001 implements MigrationInterface {
  name = "CustomerEmailUnique1764400000001"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(markColumnSql)
    await queryRunner.query(duplicateTableSql)
    await queryRunner.query(recordDuplicatesSql)
    await queryRunner.query(markDuplicatesSql)
    const [{ n }] = await queryRunner.query(`SELECT count(*)::int AS n FROM ${DUPLICATE_TABLE}`)
    if (n) {
      console.warn(
        `[medusa-plugin-customers] ${n} customers share an email with another customer of the same kind ` +
          `(case-insensitively); they are kept as they are and listed in ${DUPLICATE_TABLE}`
      )
    }
    if (await buildsIndexesInline(queryRunner)) await queryRunner.query(emailUniqueIndexSql(false))
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "${EMAIL_UNIQUE_INDEX}"`)
    await queryRunner.query(`DROP TABLE IF EXISTS ${DUPLICATE_TABLE}`)
    await queryRunner.query(`ALTER TABLE customer DROP COLUMN IF EXISTS ${DUPLICATE_MARK}`)
  }
}
