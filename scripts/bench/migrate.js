/**
 * `npm run bench:migrate [-- --customers N]`
 *
 * What installing the plugin costs a store of N seeded customers (default
 * 1,000,000): the plugin's migrations are reverted from the seeded database
 * (core's schema, the customers kept), then `medusa migrations run` and the
 * start-up work (counter check, text backfill and concurrent index builds)
 * are timed, with the WAL each writes, the customer table's size before and
 * after, and the longest wait of a reader and of a writer of customers
 * polling every 50 ms meanwhile. Figures for docs/operations.md.
 */
require("../lib/env")
const path = require("path")
const { Client } = require("pg")
const { ROOT } = require("../lib/env")
const { benchDatabase } = require("../lib/database")
const { build, migrate, run } = require("../lib/store")
const { seedCustomers } = require("./seed")

const PLUGIN_MIGRATIONS = 4

function args() {
  const argv = process.argv.slice(2)
  const at = argv.indexOf("--customers")
  return { customers: at >= 0 ? Number(argv[at + 1]) : 1_000_000 }
}

/** Polls `sql` every 50 ms on its own connection until stopped; resolves with the longest wait in ms. */
function poller(url, sql, params) {
  let stopped = false
  const done = (async () => {
    const client = new Client({ connectionString: url })
    await client.connect()
    let longest = 0
    try {
      while (!stopped) {
        const started = Date.now()
        await client.query(sql, params)
        longest = Math.max(longest, Date.now() - started)
        await new Promise((r) => setTimeout(r, 50))
      }
    } finally {
      await client.end()
    }
    return longest
  })()
  return { stop: async () => ((stopped = true), await done) }
}

async function measure(client, url, id, work) {
  const size = async () => Number((await client.query("SELECT pg_total_relation_size('customer') AS b")).rows[0].b)
  const wal = async () => (await client.query("SELECT pg_current_wal_lsn() AS lsn")).rows[0].lsn
  const [size0, wal0] = [await size(), await wal()]
  const reader = poller(url, "SELECT id, email FROM customer WHERE id = $1", [id])
  const writer = poller(url, "UPDATE customer SET metadata = metadata WHERE id = $1", [id])
  const started = Date.now()
  await work()
  const seconds = (Date.now() - started) / 1000
  const [longestRead, longestWrite] = [await reader.stop(), await writer.stop()]
  const walBytes = Number((await client.query("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), $1) AS d", [wal0])).rows[0].d)
  return { seconds, walMb: walBytes / 1048576, sizeBeforeMb: size0 / 1048576, sizeAfterMb: (await size()) / 1048576, longestRead, longestWrite }
}

async function main() {
  const { customers } = args()
  const log = (msg) => console.log(`[bench:migrate] ${msg}`)
  const db = await benchDatabase("medusa_bench_migrate", { log })
  const client = new Client({ connectionString: db.url })
  try {
    log("building the plugin and running migrations")
    await build({ quiet: true })
    await migrate(db.url, { quiet: true })
    await client.connect()
    await seedCustomers({ url: db.url, customers, log })
    log(`reverting the plugin's ${PLUGIN_MIGRATIONS} migrations`)
    const medusa = path.join(ROOT, "node_modules", ".bin", "medusa")
    for (let i = 0; i < PLUGIN_MIGRATIONS; i++) {
      await run(medusa, ["migrations", "revert"], { env: { ...process.env, DATABASE_URL: db.url, NODE_ENV: "development" }, quiet: true })
    }
    await client.query("VACUUM ANALYZE customer")
    await client.query("CHECKPOINT")
    const id = (await client.query("SELECT id FROM customer ORDER BY id LIMIT 1 OFFSET 1000")).rows[0].id
    const live = Number((await client.query("SELECT count(*) AS n FROM customer WHERE deleted_at IS NULL")).rows[0].n)

    log(`medusa migrations run on ${live.toLocaleString("en-US")} customers`)
    const migration = await measure(client, db.url, id, () => migrate(db.url, { quiet: true }))

    require("reflect-metadata")
    const { DataSource } = require("typeorm")
    const { ensureSearchIndexes } = require(path.join(ROOT, "dist/lib/search-indexes"))
    const { repairCustomerCounts } = require(path.join(ROOT, "dist/lib/customer-count"))
    const dataSource = new DataSource({ type: "postgres", url: db.url })
    await dataSource.initialize()
    const quiet = { info: (m) => log(m), warn: (m) => log(m), error: (m) => log(m) }
    try {
      log("start-up: counter check, then the concurrent build")
      const check = await measure(client, db.url, id, () => repairCustomerCounts(dataSource, quiet))
      const builder = await measure(client, db.url, id, () => ensureSearchIndexes(dataSource, quiet))
      const row = (name, m) =>
        `${name.padEnd(24)} ${m.seconds.toFixed(1).padStart(7)} s ${m.walMb.toFixed(0).padStart(6)} MB WAL  customer ${m.sizeBeforeMb.toFixed(0)} → ${m.sizeAfterMb.toFixed(0)} MB  longest read ${m.longestRead} ms, write ${m.longestWrite} ms`
      console.log(`\n${live.toLocaleString("en-US")} customers`)
      console.log(row("migrations run", migration))
      console.log(row("start-up counter check", check))
      console.log(row("start-up build", builder))
    } finally {
      await dataSource.destroy()
    }
  } finally {
    await client.end().catch(() => undefined)
    await db.stop()
  }
}

main().catch((err) => {
  console.error(err)
  process.exit(1)
})
