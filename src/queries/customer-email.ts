import type { Statement } from "./customer-search"

/**
 * The live customer (of the kind `hasAccount` names, if any) whose email is
 * `email` in any case: one saved in capitals before the plugin lower-cased
 * updates, as core's update kept them. The row the unique index holds (not a
 * marked legacy duplicate) first, then the oldest. Read through the
 * `lower(email)` index.
 */
export function emailInAnyCaseStatement(email: string, hasAccount?: boolean): Statement {
  return {
    sql: `SELECT id FROM customer
           WHERE lower(email) = $1 AND deleted_at IS NULL AND ($2::boolean IS NULL OR has_account = $2)
           ORDER BY email_legacy_duplicate IS NOT NULL, created_at, id LIMIT 1`,
    params: [email.toLowerCase(), hasAccount ?? null],
  }
}

/** Every live customer whose email is `email` in any case. */
export function emailsInAnyCaseStatement(email: string): Statement {
  return {
    sql: `SELECT id FROM customer WHERE lower(email) = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
    params: [email.toLowerCase()],
  }
}
