/** How often and how patiently to retry: `delayMs(n)` is the wait after the n-th failure. */
export type RetryPolicy = { attempts: number; delayMs: (attempt: number) => number }

type RetryHooks = { onRetry: (err: unknown, attempt: number) => void; onGiveUp: (err: unknown) => void }

const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"])

/**
 * PostgreSQL unreachable or going away: a refused or broken socket, SQLSTATE
 * class 08 (connection exception) or 57P0x (shutdown, crash, cannot connect now).
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown } | undefined
  const code = typeof e?.code === "string" ? e.code : ""
  if (CONNECTION_CODES.has(code) || code.startsWith("08") || code.startsWith("57P")) return true
  if (e?.driverError && e.driverError !== err) return isConnectionError(e.driverError)
  return typeof e?.message === "string" && /Connection terminated|terminating connection/.test(e.message)
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `work` until it succeeds, fails with an error `retryable` does not
 * accept, or `policy.attempts` are spent; never rejects (resolves undefined
 * after giving up), for callers whose rejection nobody would handle.
 */
export async function retryUntilDone<T>(
  work: () => Promise<T>,
  policy: RetryPolicy,
  hooks: RetryHooks,
  retryable: (err: unknown) => boolean = () => true
): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (err) {
      if (attempt >= policy.attempts || !retryable(err)) {
        hooks.onGiveUp(err)
        return undefined
      }
      hooks.onRetry(err, attempt)
      await sleep(policy.delayMs(attempt))
    }
  }
}
