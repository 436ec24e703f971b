/** The benchmark's table: one line per scenario and connection count. */
function median(values) {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

const fmt = (n, digits = 1) => (n === null || n === undefined ? "-" : Number(n).toFixed(digits))

function printTable(report) {
  const header = [
    "scenario",
    "conns",
    "core p50",
    "core p95",
    "core req/s",
    "plugin p50",
    "plugin p95",
    "plugin req/s",
    "plugin/core",
    "found core/plugin/expected",
    "plugin SQL ms",
    "API p50 / SQL",
    "(API p50 − floor) / SQL",
  ]
  const floorOf = (connections) => report.results.find((f) => f.scenario.startsWith("floor") && f.connections === connections)?.plugin.p50
  const rows = report.results.map((r) => [
    r.scenario,
    String(r.connections),
    fmt(r.core.p50),
    fmt(r.core.p95),
    fmt(r.core.rps),
    fmt(r.plugin.p50),
    fmt(r.plugin.p95),
    fmt(r.plugin.rps),
    r.core.rps === undefined ? "" : `${fmt(r.plugin.rps / r.core.rps)}×`,
    r.recall ? `${r.recall.core}/${r.recall.plugin}/${r.recall.expected}` : "",
    r.sqlMs === undefined ? "" : fmt(r.sqlMs, 2),
    r.sqlMs === undefined ? "" : fmt(r.plugin.p50 / r.sqlMs, 2),
    r.sqlMs === undefined || floorOf(r.connections) === undefined ? "" : fmt((r.plugin.p50 - floorOf(r.connections)) / r.sqlMs, 2),
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)))
  const line = (cells) => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`
  console.log(`\n${report.customers.toLocaleString("en-US")} customers; latencies in ms; plugin/core = throughput ratio`)
  console.log(line(header))
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`)
  for (const row of rows) console.log(line(row))
  for (const r of report.results.filter((r) => r.sqlP95Ms !== undefined && r.connections === report.results.find((x) => x.scenario === r.scenario).connections)) {
    console.log(`${r.scenario}: the route's SQL (customer check, page, count) median ${fmt(r.sqlMs, 2)} ms, p95 ${fmt(r.sqlP95Ms, 2)} ms (core has no such route)`)
  }
  const errors = report.results.filter((r) => r.core.non2xx || r.plugin.non2xx || r.core.errors || r.plugin.errors)
  for (const r of errors) {
    console.log(`! ${r.scenario} ×${r.connections}: core ${r.core.non2xx} non-2xx/${r.core.errors} errors, plugin ${r.plugin.non2xx} non-2xx/${r.plugin.errors} errors`)
  }
  for (const r of report.results.filter((r) => r.core.unsettled || r.plugin.unsettled)) {
    console.log(`! ${r.scenario} ×${r.connections}: measured while the database was still busy (core ${r.core.unsettled ?? 0}, plugin ${r.plugin.unsettled ?? 0} waits gave up)`)
  }
  for (const b of report.bursts ?? []) {
    console.log(
      `${b.store} store, ${Object.values(b.signups).reduce((a, n) => a + n, 0)} concurrent storefront sign-ups (pool max ${b.poolMax}) ` +
        `while GET /admin/customers runs at ${b.connections} connections: sign-ups ${JSON.stringify(b.signups)} in ${b.burstMs} ms, ` +
        `pool-exhaustion errors ${b.poolErrors}, list p95 idle ${fmt(b.idleP95)} ms → during the burst ${fmt(b.burstP95)} ms ` +
        `(${fmt(b.burstP95 / b.idleP95, 2)}×, ${b.burstListRequests} list requests), list req/s ${fmt(b.idleRps)} → ${fmt(b.burstRps)}, ` +
        `peak connections in use ${b.peakConnectionsInUse} ` +
        `(idle in a transaction ${b.peakIdleInTransaction})`
    )
  }
  const m = report.memory
  if (report.idleMemory) {
    const i = report.idleMemory
    console.log(`server memory after start-up (RSS MB): core ${i.core.rssMb}, plugin ${i.plugin.rssMb}`)
  }
  console.log(`server memory after the run (RSS / peak MB): core ${m.core.rssMb} / ${m.core.peakMb}, plugin ${m.plugin.rssMb} / ${m.plugin.peakMb}`)
  if (report.indexes) console.log(`search indexes: ${report.indexes.sizeMb} MB`)
  const h = report.hashing
  if (h) {
    console.log(
      `password hash per create: core scrypt logN 1 ${fmt(h.coreMs, 2)} ms, plugin scrypt logN ${h.pluginParams.logN} r ${h.pluginParams.r} ` +
        `${fmt(h.pluginMs)} ms (at most ${h.maxConcurrent} at once: creates are bounded near ${fmt((1000 / h.pluginMs) * h.maxConcurrent)}/s by design)`
    )
  }
}

module.exports = { printTable, median }
