import os from "os"
import Scrypt from "scrypt-kdf"
import { requestContext, withRequestContext } from "./request-context"

/** scrypt-kdf's own defaults (core uses logN 1, r 1: a hash a laptop breaks in bulk). */
export const HASH_PARAMS = { logN: 15, r: 8, p: 1 }

/**
 * Each hash holds 128 · 2^logN · r bytes (32 MB) and a core for its duration: at most this many
 * run at once, one core always left to the store and its database (a burst of sign-ups must not
 * starve every other request).
 */
export const MAX_CONCURRENT_HASHES = Math.max(1, Math.min(4, os.cpus().length - 1))

/** A counting semaphore: a burst of creates waits its turn instead of exhausting memory. */
export class Limiter {
  private active = 0
  private readonly waiting: (() => void)[] = []

  constructor(private readonly max: number) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.active >= this.max) await new Promise<void>((resolve) => this.waiting.push(resolve))
    this.active += 1
    try {
      return await work()
    } finally {
      this.active -= 1
      this.waiting.shift()?.()
    }
  }

  get pending(): number {
    return this.waiting.length
  }
}

const limiter = new Limiter(MAX_CONCURRENT_HASHES)

/** A strong scrypt hash, base64 as core stores it; core's AuthService verifies it unchanged. */
export async function hashPassword(password: string): Promise<string> {
  const hash = await limiter.run(() => Scrypt.kdf(password, HASH_PARAMS))
  return hash.toString("base64")
}

/**
 * Runs `work` (and everything it starts, awaited or not) in a context where
 * `passwordHash(password)` answers `hash` without hashing again.
 */
export function withPrehashed<T>(password: string, hash: string, work: () => T): T {
  return withRequestContext({ prehashed: { password, hash } }, work)
}

/**
 * The hash to store for `password`: the one computed before this request's
 * transaction opened when it is that exact password (api/hash-password-first.ts),
 * otherwise a fresh one (callers outside the hashed routes: scripts, other plugins).
 */
export async function passwordHash(password: string): Promise<string> {
  const early = requestContext().prehashed
  if (early && early.password === password) return early.hash
  return await hashPassword(password)
}
