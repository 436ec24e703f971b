/**
 * One load measurement with autocannon: every response time recorded, so p50
 * and p95 are exact; statuses counted. A slow target (a probe request × the
 * connections over 1 s) is measured by request count instead of duration, so
 * every request completes.
 */
const autocannon = require("autocannon")

function percentile(sorted, p) {
  if (!sorted.length) return null
  const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)
  return sorted[Math.max(0, index)]
}

async function probe(url, request) {
  const started = process.hrtime.bigint()
  const res = await fetch(url + request.path, {
    method: request.method || "GET",
    headers: request.headers,
    body: request.body,
  })
  await res.arrayBuffer()
  return Number(process.hrtime.bigint() - started) / 1e6
}

/**
 * `scenario.request(i)` → `{ method, path, body }` for the i-th request. `settle`
 * (optional) resolves once the database is idle, to true if it gave up waiting;
 * it is called before the probes and again after the warm-up.
 * Returns `{ p50, p95, rps, requests, non2xx, errors, mode, unsettled }` (ms, req/s;
 * `unsettled`: how many of those waits gave up).
 */
async function measure({ baseUrl, apiToken, scenario, connections, durationSec, settle = async () => false }) {
  const headers = { "x-medusa-access-token": apiToken, "content-type": "application/json" }
  let counter = 0
  let unsettled = 0
  const next = () => ({ ...scenario.request(counter++), headers })
  if (await settle()) unsettled += 1
  // the second of two: a first request on cold caches must not send a fast target to count mode
  await probe(baseUrl, next())
  const probeMs = await probe(baseUrl, next())
  // expected latency under load ≈ one request's × connections: measure slow targets by count
  const slow = probeMs * connections > 1000
  // warm-up (caches, JIT) before measuring, so the store measured first is not penalised
  if (!slow) {
    await autocannon({
      url: baseUrl,
      connections,
      duration: 1,
      requests: [{ setupRequest: (req) => ({ ...req, ...next(), headers }) }],
    })
    // the warm-up's own last requests, abandoned when its second was up
    if (await settle()) unsettled += 1
  }
  const latencies = []
  let non2xx = 0
  const options = {
    url: baseUrl,
    connections,
    pipelining: 1,
    timeout: 120,
    requests: [
      {
        setupRequest: (req) => {
          const r = next()
          return { ...req, method: r.method || "GET", path: r.path, body: r.body, headers }
        },
      },
    ],
    ...(slow ? { amount: Math.max(10, connections * 3) } : { duration: durationSec }),
  }
  const started = Date.now()
  const instance = autocannon(options)
  instance.on("response", (_client, status, _bytes, ms) => {
    latencies.push(ms)
    if (status < 200 || status >= 300) non2xx += 1
  })
  const result = await instance
  const seconds = (Date.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return {
    mode: slow ? `${options.amount} requests` : `${durationSec}s`,
    requests: latencies.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    rps: latencies.length / seconds,
    non2xx,
    errors: result.errors + result.timeouts,
    unsettled,
  }
}

/**
 * Waits until no other client of the database has run a statement for `quietMs`
 * (a request abandoned mid-way may run several statements in a row, idle
 * between them), at most `timeoutMs`; resolves to true if it gave up. A
 * duration-bound measurement of a slow target ends with its last request
 * unanswered: autocannon stops waiting, but PostgreSQL still runs that query
 * (core's search, a parallel scan on both cores, for up to 2 s), and whatever
 * is measured next would share the machine with it (it once sent the plugin's
 * phone search at eight connections to count mode: 24 requests, 23.9 req/s).
 * Only this database's client backends are watched, not autovacuum or the
 * stores' Node.js processes.
 */
async function settle(client, { quietMs = 150, timeoutMs = 30_000, log = console.warn } = {}) {
  const deadline = Date.now() + timeoutMs
  let quietSince = Date.now()
  for (;;) {
    const { rows } = await client.query(
      `SELECT count(*)::int AS busy FROM pg_stat_activity
        WHERE datname = current_database() AND backend_type = 'client backend' AND state = 'active' AND pid <> pg_backend_pid()`
    )
    if (rows[0].busy > 0) quietSince = Date.now()
    else if (Date.now() - quietSince >= quietMs) return false
    if (Date.now() > deadline) {
      log(`[bench] the database was still busy after ${timeoutMs} ms; measuring anyway`)
      return true
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

module.exports = { measure, percentile, settle }
