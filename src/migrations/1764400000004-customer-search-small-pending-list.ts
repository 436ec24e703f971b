import { MigrationInterface, QueryRunner } from "typeorm"
import { PENDING_LIST_KB, TRIGRAM_INDEXES } from "../lib/search-schema"

/**
 * Trigram indexes with a small GIN pending list (see SMALL_PENDING_LIST in
 * lib/search-schema): set on indexes made before the option existed, and their
 * pending entries merged now. Indexes still to be built at start-up get it from
 * their definition. Changing the option rewrites nothing.
 */
export class CustomerSearchSmallPendingList1764400000004 implements MigrationInterface {
  name = "CustomerSearchSmallPendingList1764400000004"

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const name of TRIGRAM_INDEXES) {
      const [{ exists }] = await queryRunner.query(`SELECT to_regclass($1) IS NOT NULL AS exists`, [`"${name}"`])
      if (!exists) continue
      await queryRunner.query(`ALTER INDEX "${name}" SET (gin_pending_list_limit = ${PENDING_LIST_KB})`)
      await queryRunner.query(`SELECT gin_clean_pending_list($1::regclass)`, [`"${name}"`])
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of TRIGRAM_INDEXES) await queryRunner.query(`ALTER INDEX IF EXISTS "${name}" RESET (gin_pending_list_limit)`)
  }
}
