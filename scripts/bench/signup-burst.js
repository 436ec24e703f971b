/**
 * "50 concurrent storefront sign-ups while the admin list is under load": the
 * admin list (`GET /admin/customers`) runs at a steady `connections` while 50
 * `POST /store/customers` arrive at once, with the store's own pool size
 * (medusa-config.js `database_extra.max`). A sign-up hashes its password
 * (scrypt, a few at a time); if it held a pool connection while waiting for
 * that, the list would queue for connections (or fail with a pool timeout).
 * Reports the list's p95 during the burst against the same load idle, the
 * sign-ups' statuses, pool-exhaustion errors (responses ≥ 500, socket errors,
 * and pool errors in the store's log), and the peak of connections in use
 * (not idle: running a statement or idle in a transaction) and of those idle
 * in a transaction, sampled from pg_stat_activity. Only the measured store
 * works meanwhile; the other store's pool only holds idle connections.
 */
const fs = require("fs")
const { percentile } = require("./load")

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

const POOL_ERRORS = /timeout exceeded when trying to connect|too many clients|remaining connection slots|connection pool/i

/**
 * The list under load from `connections` clients, each sending its next request when the last
 * one is answered, for `durationSec` or until the promise `until` settles; a request under way
 * then is awaited and counted. Each response as `{ end, ms, status }` (end: epoch ms).
 */
async function listLoad({ store, connections, durationSec, until }) {
  const responses = []
  let errors = 0
  let stopped = false
  const timer = until ? undefined : setTimeout(() => (stopped = true), durationSec * 1000)
  until?.then(() => (stopped = true))
  const client = async () => {
    while (!stopped) {
      const started = Date.now()
      try {
        const res = await fetch(`${store.baseUrl}/admin/customers`, { headers: { "x-medusa-access-token": store.apiToken } })
        await res.arrayBuffer()
        responses.push({ end: Date.now(), ms: Date.now() - started, status: res.status })
      } catch {
        errors += 1
      }
    }
  }
  await Promise.all(Array.from({ length: connections }, client))
  clearTimeout(timer)
  return { responses, errors }
}

/** Samples the connections in use (every client backend of the database but the sampler's) until `stop()`. */
function sampleConnections(client) {
  const peak = { inUse: 0, idleInTransaction: 0 }
  let running = true
  const loop = (async () => {
    while (running) {
      const { rows } = await client.query(
        `SELECT count(*) FILTER (WHERE state <> 'idle')::int AS in_use, count(*) FILTER (WHERE state = 'idle in transaction')::int AS idle_in_tx
           FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND pid <> pg_backend_pid()`
      )
      peak.inUse = Math.max(peak.inUse, rows[0].in_use)
      peak.idleInTransaction = Math.max(peak.idleInTransaction, rows[0].idle_in_tx)
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
  })()
  return async () => {
    running = false
    await loop
    return peak
  }
}

async function signUp(store, email) {
  try {
    const res = await fetch(`${store.baseUrl}/store/customers`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email, first_name: "Burst", last_name: "Signup", password: "supersecret" }),
    })
    await res.arrayBuffer()
    return res.status
  } catch {
    return "socket error"
  }
}

/**
 * Idle: the list alone for `durationSec`. Burst: the same load, and after one
 * second the sign-ups, all at once, the load kept up until a second after the
 * last answer; the burst's list requests are those in
 * flight at any time between the first sign-up sent and the last one answered
 * (a request starved of a connection counts, however late it ends), and the
 * list's throughput is the responses that ended in that window per second.
 */
async function signupBurst({ store, client, poolMax, nonce, connections = 8, signups = 50, durationSec = 5 }) {
  const idle = await listLoad({ store, connections, durationSec })
  const logBefore = fs.statSync(store.logFile).size

  const stopSampling = sampleConnections(client)
  let signupsAnswered
  // the load goes on until a second after the last sign-up is answered, however long they take
  const load = listLoad({ store, connections, until: new Promise((resolve) => (signupsAnswered = resolve)).then(() => sleep(1000)) })
  await sleep(1000)
  const started = Date.now()
  const statuses = await Promise.all(
    Array.from({ length: signups }, (_, i) => signUp(store, `bench-${nonce}-${store.name}-${i}@create.example`))
  )
  const ended = Date.now()
  signupsAnswered()
  const burst = await load
  const peak = await stopSampling()

  const log = fs.readFileSync(store.logFile, "utf8").slice(logBefore)
  const poolLogLines = log.split("\n").filter((line) => POOL_ERRORS.test(line)).length
  const during = burst.responses.filter((r) => r.end - r.ms <= ended && r.end >= started)
  const perSecond = (count, ms) => (count * 1000) / ms
  const idleRps = perSecond(idle.responses.length, durationSec * 1000)
  const burstRps = perSecond(burst.responses.filter((r) => r.end >= started && r.end <= ended).length, ended - started)
  const p95 = (responses) => percentile(responses.map((r) => r.ms).sort((a, b) => a - b), 95)
  const tally = statuses.reduce((t, s) => ({ ...t, [s]: (t[s] ?? 0) + 1 }), {})
  const failedList = [...idle.responses, ...burst.responses].filter((r) => r.status >= 500).length
  return {
    store: store.name,
    poolMax,
    connections,
    signups: tally,
    burstMs: ended - started,
    idleP95: p95(idle.responses),
    burstP95: p95(during),
    burstListRequests: during.length,
    idleRps,
    burstRps,
    poolErrors: failedList + idle.errors + burst.errors + statuses.filter((s) => s === "socket error" || s >= 500).length + poolLogLines,
    peakConnectionsInUse: peak.inUse,
    peakIdleInTransaction: peak.idleInTransaction,
  }
}

module.exports = { signupBurst }
