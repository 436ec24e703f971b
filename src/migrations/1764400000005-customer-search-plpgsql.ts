import { MigrationInterface, QueryRunner } from "typeorm"
import { DIGITS_FN, functionsSql, normalisingSql, NORM_FN, UNACCENT_SCHEMA_SQL } from "../lib/search-schema"

/**
 * The normalising functions in PL/pgSQL (see functionsSql in lib/search-schema):
 * about 2.5× cheaper per call, same results. `CREATE OR REPLACE` keeps each
 * function's identity, so the indexes built on them stay valid and are neither
 * rebuilt nor locked.
 */
export class CustomerSearchPlpgsql1764400000005 implements MigrationInterface {
  name = "CustomerSearchPlpgsql1764400000005"

  public async up(queryRunner: QueryRunner): Promise<void> {
    const [{ schema }] = await queryRunner.query(UNACCENT_SCHEMA_SQL)
    for (const sql of functionsSql(schema)) await queryRunner.query(sql)
  }

  /** The SQL-language bodies as migration CustomerSearch1764400000000 first made them. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    const [{ schema }] = await queryRunner.query(UNACCENT_SCHEMA_SQL)
    const { norm, digits } = normalisingSql(schema)
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION ${NORM_FN}(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL UNSAFE
         AS $fn$ SELECT ${norm("value")} $fn$`
    )
    await queryRunner.query(
      `CREATE OR REPLACE FUNCTION ${DIGITS_FN}(value text) RETURNS text LANGUAGE sql IMMUTABLE STRICT PARALLEL UNSAFE
         AS $fn$ SELECT ${digits("value")} $fn$`
    )
  }
}
