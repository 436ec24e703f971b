import { MigrationInterface, QueryRunner } from "typeorm"
import { USER_CHANGES_CHANNEL, USER_CHANGES_TRIGGER } from "../lib/api-token-cache"

const FUNCTION = "medusa_customers_notify_user_changes"

/**
 * Any committed change to the `user` table (insert, update, delete, truncate;
 * by Medusa or by hand) notifies USER_CHANGES_CHANNEL, once per statement: each
 * store instance empties its API-token cache when it hears it
 * (lib/user-changes-listener.ts). The table holds the admins: a few rows,
 * rarely written; creating the trigger locks it for an instant.
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
    await queryRunner.query(`DROP TRIGGER IF EXISTS ${USER_CHANGES_TRIGGER} ON "user"`)
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
