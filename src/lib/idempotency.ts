import { createHmac } from "crypto"
import { MedusaError } from "medusa-core-utils"
import type { EntityManager } from "typeorm"

export const IDEMPOTENCY_TABLE = "customer_idempotency_key"

/** Keys are kept 48 hours (at least 24 are promised), then removed by later requests. */
export const KEY_TTL_HOURS = 48

export const idempotencyTableSql = [
  `CREATE TABLE IF NOT EXISTS ${IDEMPOTENCY_TABLE} (
     key text PRIMARY KEY,
     request_hash text NOT NULL,
     status integer,
     body text,
     created_at timestamptz NOT NULL DEFAULT now()
   )`,
  `CREATE INDEX IF NOT EXISTS "IDX_${IDEMPOTENCY_TABLE}_created_at" ON ${IDEMPOTENCY_TABLE} (created_at)`,
]

export type StoredResponse = { status: number; body: string; replayed: boolean }

/**
 * The request's fingerprint, kept with its key for KEY_TTL_HOURS: HMAC-SHA256
 * of the method, path and body, keyed with the store's `jwt_secret` (or
 * `cookie_secret`). The body carries the plaintext password; a plain hash of it
 * would let whoever reads the database test password guesses offline at GPU
 * speed, the keyed one needs the secret as well. The password stays in the
 * fingerprint (rather than being left out) so a retry with the same key and
 * another password is still refused as a different request, not answered with
 * the first one's customer. Every instance of a store shares its secrets, so
 * they agree on fingerprints; a changed secret makes a pending retry's key a
 * "different request" (400), at worst for KEY_TTL_HOURS.
 */
export function requestFingerprint(secret: string, method: string, path: string, body: unknown): string {
  return createHmac("sha256", secret).update(JSON.stringify([method, path, body])).digest("hex")
}

/** The secret requestFingerprint is keyed with; Medusa fills in jwt_secret unless a config sets it undefined. */
export function fingerprintSecret(projectConfig: { jwt_secret?: string; cookie_secret?: string }): string {
  const secret = projectConfig.jwt_secret || projectConfig.cookie_secret
  if (!secret) throw new Error("medusa-plugin-customers: Idempotency-Key needs projectConfig.jwt_secret or cookie_secret to be set")
  return secret
}

/**
 * Runs `work` once per key. The key row is inserted in the same transaction as
 * the work: a concurrent request with the same key waits on it (unique index)
 * and then replays the committed response; if the work fails, nothing is kept
 * and a retry runs it again. The response is stored as sent, byte for byte.
 */
export async function runIdempotent(
  manager: EntityManager,
  key: string,
  fingerprint: string,
  work: (tm: EntityManager) => Promise<{ status: number; body: unknown }>
): Promise<StoredResponse> {
  return await manager.transaction(async (tm) => {
    const inserted = await tm.query(
      `INSERT INTO ${IDEMPOTENCY_TABLE} (key, request_hash) VALUES ($1, $2) ON CONFLICT (key) DO NOTHING RETURNING key`,
      [key, fingerprint]
    )
    if (inserted.length === 0) {
      const [stored] = await tm.query(`SELECT request_hash, status, body FROM ${IDEMPOTENCY_TABLE} WHERE key = $1`, [key])
      if (stored.request_hash !== fingerprint) {
        throw new MedusaError(
          MedusaError.Types.INVALID_DATA,
          "This Idempotency-Key was already used for a different request; use a new key for a new request"
        )
      }
      return { status: stored.status, body: stored.body, replayed: true }
    }
    const { status, body } = await work(tm)
    const text = JSON.stringify(body)
    await tm.query(`UPDATE ${IDEMPOTENCY_TABLE} SET status = $2, body = $3 WHERE key = $1`, [key, status, text])
    if (Math.random() < 0.01) {
      await tm.query(`DELETE FROM ${IDEMPOTENCY_TABLE} WHERE created_at < now() - make_interval(hours => $1)`, [KEY_TTL_HOURS])
    }
    return { status, body: text, replayed: false }
  })
}
