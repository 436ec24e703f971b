/** How often and how patiently to retry: `delayMs(n)` is the wait after the n-th failure. */
export type RetryPolicy = { attempts: number; delayMs: (attempt: number) => number }

type RetryHooks = { onRetry: (err: unknown, attempt: number) => void; onGiveUp: (err: unknown) => void }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Runs `work` until it succeeds or `policy.attempts` are spent; never rejects
 * (resolves undefined after giving up), for callers whose rejection nobody
 * would handle.
 */
export async function retryUntilDone<T>(work: () => Promise<T>, policy: RetryPolicy, hooks: RetryHooks): Promise<T | undefined> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work()
    } catch (err) {
      if (attempt >= policy.attempts) {
        hooks.onGiveUp(err)
        return undefined
      }
      hooks.onRetry(err, attempt)
      await sleep(policy.delayMs(attempt))
    }
  }
}
