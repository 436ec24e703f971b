import { MigrationInterface, QueryRunner } from "typeorm"
import { buildsIndexesInline, createIndexSql, SEARCH_INDEXES, SPACED_EMAILS_INDEX } from "../lib/search-schema"

/**
 * A partial trigram index over the emails with a space (SPACED_EMAILS in
 * lib/search-schema), read by multi-word searches instead of every email's
 * trigrams. Built here on a small table (≤ INLINE_INDEX_MAX_ROWS rows); on a
 * larger one the plugin builds it at start-up, concurrently, and searches give
 * the same results without it meanwhile.
 */
export class CustomerSearchSpacedEmails1764400000008 implements MigrationInterface {
  name = "CustomerSearchSpacedEmails1764400000008"

  public async up(queryRunner: QueryRunner): Promise<void> {
    if (!(await buildsIndexesInline(queryRunner))) return
    await queryRunner.query(createIndexSql(SEARCH_INDEXES.find((index) => index.name === SPACED_EMAILS_INDEX)!, false))
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "${SPACED_EMAILS_INDEX}"`)
  }
}
