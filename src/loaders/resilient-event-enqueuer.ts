import type { Logger, MedusaContainer } from "@medusajs/medusa"
import { isConnectionError } from "../lib/connection-error"

type StagedJobs = { delete(ids: string | string[]): Promise<unknown>; [PATCHED]?: true }
type EventBus = { stagedJobService_?: unknown; enqueuer_?: unknown }

const PATCHED = Symbol.for("medusa-plugin-customers.resilientStagedJobDelete")

/** How many deletes, and the wait after the n-th failure: about five minutes in all. */
type RetryPolicy = { attempts: number; delayMs: (attempt: number) => number }
const POLICY: RetryPolicy = { attempts: 70, delayMs: (attempt) => Math.min(5000, 250 * attempt) }

/**
 * Core's event enqueuer (`EventBusService.enqueuer_`) polls the staged jobs,
 * emits them, then deletes them, with no catch around the delete: when
 * PostgreSQL goes away between the emit and the delete, the rejection is
 * unhandled and kills the server (seen in faults/postgres-restart.spec.ts).
 * The delete of those same jobs is retried while the database is unreachable
 * (up to about five minutes): the server lives, and no event is emitted twice.
 * The enqueuer awaits the delete, so it simply resumes polling after the
 * outage. Any other failure is logged at once and the jobs stay staged, to be
 * emitted again, as they would be after the crash core would have had.
 *
 * The enqueuer's staged-job service is a private field of core's event bus:
 * when it is not there with the shape relied on (a Medusa that changed it),
 * core's enqueuer is left as it is and one warning says so.
 */
export default async function resilientEventEnqueuerLoader(container: MedusaContainer): Promise<void> {
  const logger = container.resolve<Logger>("logger")
  const staged = stagedJobsOf(container.resolve<EventBus>("eventBusService"))
  if (!staged) {
    logger.warn(
      "medusa-plugin-customers: core's event bus has no stagedJobService_.delete as expected; its staged-job enqueuer is left as it is (a database outage while it runs can stop the process)"
    )
    return
  }
  if (staged[PATCHED]) return
  staged.delete = wrapDelete(staged.delete.bind(staged), logger, POLICY)
  staged[PATCHED] = true
}

/** The staged-job service core's enqueuer deletes emitted jobs through, if it has the shape relied on. */
function stagedJobsOf(eventBus: EventBus): StagedJobs | undefined {
  const staged = eventBus.stagedJobService_ as Partial<StagedJobs> | null | undefined
  if (typeof eventBus.enqueuer_ !== "function" || typeof staged !== "object" || staged === null) return undefined
  return typeof staged.delete === "function" ? (staged as StagedJobs) : undefined
}

/** The delete, retried while the connection is lost; it never rejects (nobody would handle it). */
export function wrapDelete(remove: StagedJobs["delete"], logger: Pick<Logger, "warn" | "error">, policy: RetryPolicy): StagedJobs["delete"] {
  return async (ids) => {
    const count = Array.isArray(ids) ? ids.length : 1
    for (let attempt = 1; ; attempt++) {
      try {
        return await remove(ids)
      } catch (err) {
        const reason = err instanceof Error ? err.message : String(err)
        if (attempt >= policy.attempts || !isConnectionError(err)) {
          logger.error(`Deleting ${count} emitted staged jobs failed, they will be emitted again: ${reason}`)
          return undefined
        }
        logger.warn(`Deleting ${count} emitted staged jobs failed (attempt ${attempt}), retrying: ${reason}`)
        await new Promise((resolve) => setTimeout(resolve, policy.delayMs(attempt)))
      }
    }
  }
}
