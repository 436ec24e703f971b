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
    // built and valid only: one being built concurrently (or left invalid) is (re)built with the option
    const ready: { relname: string }[] = await queryRunner.query(
      `SELECT c.relname FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid
        WHERE c.relname = ANY($1) AND i.indisvalid AND i.indisready`,
      [TRIGRAM_INDEXES]
    )
    for (const { relname } of ready) {
      await queryRunner.query(`ALTER INDEX "${relname}" SET (gin_pending_list_limit = ${PENDING_LIST_KB})`)
      await queryRunner.query(`SELECT gin_clean_pending_list($1::regclass)`, [`"${relname}"`])
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const name of TRIGRAM_INDEXES) await queryRunner.query(`ALTER INDEX IF EXISTS "${name}" RESET (gin_pending_list_limit)`)
  }
}
