import type { Client } from "pg"

/**
 * `EXPLAIN` of a statement with parallelism made free and the indexes out of
 * reach, where the planner's favourite is a parallel scan whenever the
 * statement allows one; `prepare` runs first, in the same rolled-back transaction.
 */
export async function freeParallelPlan(pg: Client, statement: { sql: string; params: unknown[] }, prepare: string[] = []): Promise<string> {
  await pg.query("BEGIN")
  try {
    for (const sql of prepare) await pg.query(sql)
    for (const setting of ["parallel_setup_cost = 0", "parallel_tuple_cost = 0", "min_parallel_table_scan_size = 0", "enable_bitmapscan = off", "enable_indexscan = off"])
      await pg.query(`SET LOCAL ${setting}`)
    const { rows } = await pg.query(`EXPLAIN ${statement.sql}`, statement.params)
    return rows.map((r: { "QUERY PLAN": string }) => r["QUERY PLAN"]).join("\n")
  } finally {
    await pg.query("ROLLBACK")
  }
}
