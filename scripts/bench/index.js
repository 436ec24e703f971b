/**
 * `npm run bench [-- --customers N --duration S --connections 1,8 --only a,b --plugin-dir DIR]`
 *
 * Seeds N realistic customers (re-used between runs), starts the plugin store
 * and a core-only store on the same database, measures both with autocannon in
 * the same run, and prints one table (p50, p95, req/s, plugin/core ratio,
 * search recall, the plugin's raw SQL time) plus JSON in bench-results/.
 */
require("../lib/env")
const fs = require("fs")
const path = require("path")
const { Client } = require("pg")
const { ROOT } = require("../lib/env")
const { benchDatabase } = require("../lib/database")
const { build, migrate } = require("../lib/store")
const { seedCustomers } = require("./seed")
const { startStores, stopStores, memoryOf } = require("./stores")
const { measure, settle } = require("./load")
const { scenarios, truthIds, truthCount, idPools, pluginListSqlMs, pluginRetrieveSqlMs } = require("./scenarios")
const { printTable, median } = require("./report")
const { signupBurst } = require("./signup-burst")
const { seedHistory, heavyCustomers, historySqlMs } = require("./history")

function args() {
  const argv = process.argv.slice(2)
  const get = (flag, fallback) => {
    const i = argv.indexOf(flag)
    return i >= 0 && argv[i + 1] ? argv[i + 1] : fallback
  }
  return {
    customers: Number(get("--customers", 1_000_000)),
    duration: Number(get("--duration", 5)),
    connections: get("--connections", "1,8").split(",").map(Number),
    out: path.resolve(get("--out", path.join(ROOT, "bench-results", "bench.json"))),
    force: argv.includes("--force-seed"),
    only: get("--only", ""),
    pluginDir: path.resolve(get("--plugin-dir", ROOT)),
  }
}

/** One password hash at core's parameters and at the plugin's, in this process (median of 5). */
async function hashCost() {
  const Scrypt = require("scrypt-kdf")
  const { HASH_PARAMS, MAX_CONCURRENT_HASHES } = require(path.join(ROOT, "dist/lib/password"))
  const time = async (params) => {
    const runs = []
    for (let i = 0; i < 5; i++) {
      const started = process.hrtime.bigint()
      await Scrypt.kdf("supersecret", params)
      runs.push(Number(process.hrtime.bigint() - started) / 1e6)
    }
    return median(runs)
  }
  return { coreMs: await time({ logN: 1, r: 1, p: 1 }), pluginMs: await time(HASH_PARAMS), pluginParams: HASH_PARAMS, maxConcurrent: MAX_CONCURRENT_HASHES }
}

/**
 * How many of the customers a search means each store found in its first 1,000 results; for
 * a broad search (more matches than a page holds) the `count` each store reports instead.
 */
async function searchRecall(client, stores, search) {
  const expected = search.broad ? await truthCount(client, search) : await truthIds(client, search)
  const recall = { expected: search.broad ? expected : expected.length }
  for (const store of Object.values(stores)) {
    const res = await fetch(`${store.baseUrl}/admin/customers?limit=1000&q=${encodeURIComponent(search.q)}`, {
      headers: { "x-medusa-access-token": store.apiToken },
    })
    const body = await res.json()
    const found = new Set((body.customers || []).map((c) => c.id))
    recall[store.name] = search.broad ? body.count : expected.filter((id) => found.has(id)).length
  }
  return recall
}

async function main() {
  const opts = args()
  const log = (msg) => console.log(`[bench] ${msg}`)
  const db = await benchDatabase("medusa_bench", { log })
  const client = new Client({ connectionString: db.url })
  let stores
  try {
    log("building the plugin and running migrations")
    await build({ quiet: true })
    await migrate(db.url, { quiet: true })
    await client.connect()
    const seed = await seedCustomers({ url: db.url, customers: opts.customers, force: opts.force, log })

    const pools = await idPools(client)
    const groupId = (await client.query("SELECT id FROM customer_group ORDER BY id LIMIT 1")).rows[0].id
    const total = Number((await client.query("SELECT count(*) FROM customer WHERE deleted_at IS NULL")).rows[0].count)
    const nonce = Date.now().toString(36)
    const only = opts.only ? opts.only.split(",") : []
    const chosen = (s) => s.kind === "floor" || !only.length || only.some((o) => s.name.includes(o))
    const withHistory = scenarios({ customers: total, ...pools, groupId, nonce }).some((s) => s.kind === "history" && chosen(s))
    if (withHistory) await seedHistory(client, log)
    const heavy = withHistory ? await heavyCustomers(client) : []
    const all = scenarios({ customers: total, ...pools, groupId, nonce, heavy }).filter(chosen)

    log(`starting the plugin store and the core-only store (${total.toLocaleString()} customers)`)
    if (opts.pluginDir !== ROOT) log(`the plugin store runs the build in ${opts.pluginDir}`)
    stores = await startStores({ databaseUrl: db.url, logDir: path.dirname(opts.out), pluginDir: opts.pluginDir })
    const idleMemory = { plugin: memoryOf(stores.plugin.child.pid), core: memoryOf(stores.core.child.pid) }

    const results = []
    const bursts = []
    // the development store's pool (medusa-config.js), which both stores run with
    const poolMax = require(path.join(ROOT, "medusa-config.js")).projectConfig.database_extra.max
    for (const [index, scenario] of all.entries()) {
      if (scenario.kind === "burst") {
        for (const name of ["core", "plugin"]) {
          await settle(client)
          const burst = await signupBurst({ store: stores[name], client, poolMax, nonce })
          log(`${scenario.name} ${name}: list p95 ${burst.idleP95} → ${burst.burstP95} ms, sign-ups ${JSON.stringify(burst.signups)}, ${burst.poolErrors} pool errors`)
          bursts.push(burst)
        }
        continue
      }
      // just before the search is measured: the broad one's scans must not chill the caches of the others
      const recall = scenario.search ? await searchRecall(client, stores, scenario.search) : undefined
      for (const connections of opts.connections) {
        const row = { scenario: scenario.name, connections }
        const order = scenario.pluginOnly ? ["plugin"] : index % 2 ? ["plugin", "core"] : ["core", "plugin"]
        if (scenario.pluginOnly) row.core = {}
        for (const name of order) {
          const store = stores[name]
          const settled = () => settle(client)
          row[name] = await measure({ baseUrl: store.baseUrl, apiToken: store.apiToken, scenario, connections, durationSec: opts.duration, settle: settled })
          const r = row[name]
          log(`${scenario.name} ×${connections} ${name}: p50 ${r.p50?.toFixed(1) ?? "-"} ms, ${r.rps.toFixed(1)} req/s, ${r.non2xx} non-2xx, ${r.errors} errors`)
        }
        if (recall) row.recall = recall
        results.push(row)
      }
      // the SQL timings must not share the machine with a measurement's abandoned requests either
      if (scenario.kind === "list" || scenario.kind === "retrieve" || scenario.kind === "history") await settle(client)
      if (scenario.kind === "list") {
        const query = scenario.request(0).path.split("?")[1] || ""
        const runs = []
        for (let i = 0; i < 5; i++) runs.push(await pluginListSqlMs(client, query))
        for (const row of results.filter((r) => r.scenario === scenario.name)) row.sqlMs = median(runs)
      } else if (scenario.kind === "history") {
        const sql = await historySqlMs(client, heavy[0])
        for (const row of results.filter((r) => r.scenario === scenario.name)) Object.assign(row, { sqlMs: sql.median, sqlP95Ms: sql.p95 })
      } else if (scenario.kind === "retrieve") {
        const runs = []
        for (let i = 0; i < 5; i++) runs.push(await pluginRetrieveSqlMs(client, pools.ids[i]))
        for (const row of results.filter((r) => r.scenario === scenario.name)) row.sqlMs = median(runs)
      }
    }

    const memory = { plugin: memoryOf(stores.plugin.child.pid), core: memoryOf(stores.core.child.pid) }
    const report = {
      date: new Date().toISOString(),
      customers: total,
      seed,
      indexes: seed.indexes,
      options: opts,
      idleMemory,
      memory,
      hashing: await hashCost(),
      results,
      bursts,
    }
    fs.mkdirSync(path.dirname(opts.out), { recursive: true })
    fs.writeFileSync(opts.out, JSON.stringify(report, null, 2))
    printTable(report)
    log(`JSON written to ${path.relative(process.cwd(), opts.out)}`)
  } finally {
    if (stores) await stopStores(stores)
    await client.query("DELETE FROM customer WHERE email LIKE 'bench-%@create.example'").catch(() => undefined)
    await client.end().catch(() => undefined)
    await db.stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
