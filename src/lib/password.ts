import os from "os"
import { Worker } from "worker_threads"
import { requestContext, withRequestContext } from "./request-context"

/** scrypt-kdf's own defaults, which core hashes with at logN 1, r 1 (a hash a laptop breaks in bulk). */
export const HASH_PARAMS = { logN: 15, r: 8, p: 1 }

/**
 * How many hashes run at once. Each holds 128 · 2^logN · r bytes (32 MB) and a core for its
 * duration, on a thread of its own. On Linux the threads run at the lowest CPU priority
 * (HASH_NICE): one per core (at most 4), and a burst of sign-ups takes only what CPU the store's
 * requests and its database leave idle. Elsewhere a thread's priority cannot be lowered alone:
 * one core is left to the store.
 */
export function hashThreadCount(cores: number, platform: NodeJS.Platform): number {
  return Math.max(1, Math.min(4, platform === "linux" ? cores : cores - 1))
}

export const MAX_CONCURRENT_HASHES = hashThreadCount(os.availableParallelism(), process.platform)

/** The hashing threads' nice value on Linux, where it is a thread's own (elsewhere it would be the whole process's). */
export const HASH_NICE = 19

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

/**
 * A hashing thread: lowers its own priority (on Linux a thread's own), then answers each
 * `{ password }` with `{ hash }` or `{ error }`. The hash is scrypt-kdf's format, which core's
 * AuthService verifies: "scrypt", version 0, logN, r and p (big-endian), a 32-byte salt, the
 * first 16 bytes of the SHA-256 of those 48 bytes, then the HMAC-SHA256 of those 64 bytes keyed
 * with the second half of the 64-byte scrypt key. scrypt runs synchronously on this thread:
 * scrypt-kdf's `crypto.scrypt` would run it on libuv's pool, shared with the store and at its
 * priority. Builtins only, so the thread resolves nothing from wherever the store runs.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require("worker_threads")
const crypto = require("crypto")
if (process.platform === "linux") require("os").setPriority(workerData.nice)
const { logN, r, p } = workerData.params
parentPort.on("message", ({ password }) => {
  try {
    const hash = Buffer.alloc(96)
    hash.write("scrypt", 0, "ascii")
    hash.writeUInt8(logN, 7)
    hash.writeUInt32BE(r, 8)
    hash.writeUInt32BE(p, 12)
    crypto.randomFillSync(hash, 16, 32)
    crypto.createHash("sha256").update(hash.subarray(0, 48)).digest().copy(hash, 48, 0, 16)
    const key = crypto.scryptSync(password, hash.subarray(16, 48), 64, { N: 2 ** logN, r, p, maxmem: 2 ** 31 - 1 })
    crypto.createHmac("sha256", key.subarray(32)).update(hash.subarray(0, 64)).digest().copy(hash, 64)
    parentPort.postMessage({ hash: hash.toString("base64") })
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message) })
  }
})`

type Answer = { hash?: string; error?: string }

/**
 * One hashing thread, one password at a time. It keeps the process alive only while it hashes.
 * A thread that fails or exits (idle or busy) is gone for good: `onGone` takes it out of the
 * pool, and a hash it was computing fails.
 */
class HashThread {
  private readonly worker: Worker
  private pending?: { resolve: (answer: Answer) => void; reject: (err: Error) => void }
  alive = true

  constructor(private readonly onGone: (thread: HashThread) => void) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { params: HASH_PARAMS, nice: HASH_NICE } })
    this.worker.unref()
    this.worker.on("message", (answer: Answer) => this.settle()?.resolve(answer))
    this.worker.on("error", (err: Error) => this.gone(err))
    this.worker.on("exit", (code: number) => this.gone(new Error(`the password hashing thread exited (${code})`)))
  }

  ask(password: string): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject }
      this.worker.ref()
      this.worker.postMessage({ password })
    })
  }

  async stop(): Promise<void> {
    await this.worker.terminate()
  }

  private settle() {
    const pending = this.pending
    this.pending = undefined
    this.worker.unref()
    return pending
  }

  private gone(err: Error): void {
    if (!this.alive) return // an error is followed by an exit
    this.alive = false
    this.onGone(this)
    this.settle()?.reject(err)
  }
}

const limiter = new Limiter(MAX_CONCURRENT_HASHES)
const threads = new Set<HashThread>()
const idleThreads: HashThread[] = []

function forget(thread: HashThread): void {
  threads.delete(thread)
  const index = idleThreads.indexOf(thread)
  if (index >= 0) idleThreads.splice(index, 1)
}

/** A strong scrypt hash, base64 as core stores it; core's AuthService verifies it unchanged. */
export async function hashPassword(password: string): Promise<string> {
  return await limiter.run(async () => {
    let thread = idleThreads.pop()
    if (!thread) threads.add((thread = new HashThread(forget)))
    const answer = await thread.ask(password)
    if (thread.alive) idleThreads.push(thread)
    if (answer.hash === undefined) throw new Error(`password hashing failed: ${answer.error}`)
    return answer.hash
  })
}

/** Stops every hashing thread (a hash under way fails); the next hash starts a new one. */
export async function stopHashingThreads(): Promise<void> {
  await Promise.all([...threads].map((thread) => thread.stop()))
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
