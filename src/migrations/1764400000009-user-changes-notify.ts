import { MigrationInterface, QueryRunner } from "typeorm"
import { USER_CHANGES_CHANNEL, USER_CHANGES_TRIGGER } from "../lib/api-token-cache"

const FUNCTION = "medusa_customers_notify_user_changes"

/**
 * Any committed change to the `user` table (insert, update, delete, truncate;
 * by Medusa or by hand) notifies USER_CHANGES_CHANNEL, once per statement: each
 * store instance empties its API-token cache when it hears it
 * (lib/user-changes-listener.ts). The table holds the admins: a few rows,
 * rarely written. Creating the trigger blocks writes to it (not reads, so not
 * authentication) until the migrations' transaction commits.
 */
export class UserChangesNotify1764400000009 implements MigrationInterface {
  name = "UserChangesNotify1764400000009"

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION ${FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN
         PERFORM pg_notify('${USER_CHANGES_CHANNEL}', '');
         RETURN NULL;
       END $$`
    )
    // no DROP TRIGGER IF EXISTS: it would lock out even reads of "user" (every admin
    // authentication) until Medusa's migrations transaction commits
    const [{ installed }] = (await queryRunner.query(
      `SELECT EXISTS (SELECT 1 FROM pg_trigger WHERE tgrelid = to_regclass('"user"') AND tgname = $1) AS installed`,
      [USER_CHANGES_TRIGGER]
    )) as { installed: boolean }[]
    if (installed) return
    await queryRunner.query(
      `CREATE TRIGGER ${USER_CHANGES_TRIGGER} AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON "user"
       FOR EACH STATEMENT EXECUTE FUNCTION ${FUNCTION}()`
    )
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER IF EXISTS ${USER_CHANGES_TRIGGER} ON "user"`)
    await queryRunner.query(`DROP FUNCTION IF EXISTS ${FUNCTION}()`)
  }
}
