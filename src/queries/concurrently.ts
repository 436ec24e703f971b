import type { EntityManager } from "typeorm"

/**
 * Runs `tasks` (statements on `manager`) at once on the pool's connections, or
 * one after another on a query runner's single connection, where they would
 * wait for each other anyway (and pg deprecates queueing a query on a busy client).
 */
export async function concurrently<T extends unknown[]>(manager: EntityManager, ...tasks: { [K in keyof T]: () => Promise<T[K]> }): Promise<T> {
  if (!manager.queryRunner) return (await Promise.all(tasks.map((task) => task()))) as T
  const results: unknown[] = []
  for (const task of tasks) results.push(await task())
  return results as T
}
