/**
 * Steps shared by `npm start`, the integration tests and the benchmark:
 * build the plugin, run `medusa migrations run`, boot `scripts/serve.js`.
 */
const { spawn } = require("child_process")
const fs = require("fs")
const net = require("net")
const path = require("path")
const { ROOT } = require("./env")

function run(command, args, { env = process.env, cwd = ROOT, quiet = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: quiet ? ["ignore", "pipe", "pipe"] : "inherit" })
    let output = ""
    if (quiet) {
      child.stdout.on("data", (d) => (output += d))
      child.stderr.on("data", (d) => (output += d))
    }
    child.on("error", reject)
    child.on("close", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} exited with ${code}\n${output}`))
    )
  })
}

/**
 * The environment of a store process: Jest sets NODE_ENV=test, which makes
 * Medusa skip its event enqueuer and subscribers; the store under test must run
 * as a real one does.
 */
function storeEnv(extra) {
  const env = { ...process.env, ...extra }
  if (env.NODE_ENV === "test") env.NODE_ENV = "development"
  return env
}

const bin = (name) => path.join(ROOT, "node_modules", ".bin", name)

/**
 * `npm run build`: a clean `dist/` (no output of deleted sources left for Medusa to load),
 * then the admin widget (src/admin) bundled into dist/admin by `medusa-admin bundle`, where
 * a store's `medusa-admin build` finds it when the plugin's entry has `enableUI: true`.
 */
async function build(opts) {
  fs.rmSync(path.join(ROOT, "dist"), { recursive: true, force: true })
  await run(bin("tsc"), ["-p", "tsconfig.build.json"], opts)
  return await run(bin("medusa-admin"), ["bundle"], opts)
}

/**
 * `medusa migrations run` against `databaseUrl` (core's migrations and the
 * plugin's) in the store at `directory`, with its own Medusa CLI, or this
 * repository's for a store inside it without node_modules (a test fixture).
 * Medusa 1.20's command exits 0 when a migration fails, after printing the
 * error with its stack: with its output captured (`quiet`), that print is
 * taken as the failure it is.
 */
async function migrate(databaseUrl, { directory = ROOT, ...opts } = {}) {
  const env = storeEnv({ DATABASE_URL: databaseUrl })
  const own = path.join(directory, "node_modules", ".bin", "medusa")
  const output = await run(fs.existsSync(own) ? own : bin("medusa"), ["migrations", "run"], { ...opts, env, cwd: directory })
  if (/^[A-Za-z]*Error: .*\n\s+at /m.test(output)) throw new Error(`medusa migrations run failed\n${output}`)
  return output
}

/**
 * Starts `scripts/serve.js` as a child process; resolves with the child and what
 * it reported once it listens. `stdio` is "inherit" for `npm start`, or a file
 * descriptor to write the store's log to (tests).
 */
function boot({ databaseUrl, port, env = {}, stdio = "inherit", timeoutMs = 120000 }) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(ROOT, "scripts", "serve.js")], {
      cwd: env.MEDUSA_DIRECTORY || ROOT,
      env: storeEnv({ ...env, DATABASE_URL: databaseUrl, PORT: String(port) }),
      stdio: [stdio === "inherit" ? "inherit" : "ignore", stdio, stdio, "ipc"],
      // "inherit", or a file descriptor the store's log is written to
    })
    const timer = setTimeout(() => {
      child.kill("SIGKILL")
      reject(new Error(`the store did not start within ${timeoutMs} ms`))
    }, timeoutMs)
    child.once("message", (msg) => {
      clearTimeout(timer)
      resolve({ child, ...msg })
    })
    child.once("exit", (code) => {
      clearTimeout(timer)
      reject(new Error(`the store exited with code ${code} before it was ready`))
    })
  })
}

/** The same Redis with another logical database: stores that must not share queues. */
function redisUrlWithDb(url, db) {
  const parsed = new URL(url)
  parsed.pathname = `/${db}`
  return parsed.toString()
}

/**
 * A logical Redis database of its own for one test store, emptied first: a
 * store that died in an earlier run can leave event jobs queued there, which
 * the next store would pick up and handle as its own.
 */
async function freshRedisUrl(url, db) {
  const parsed = new URL(url)
  const own = Number(parsed.pathname.replace("/", "") || parsed.searchParams.get("db") || 0)
  if (own === db) throw new Error(`REDIS_URL names database ${db}, which the tests empty for their own stores: use another one`)
  const fresh = redisUrlWithDb(url, db)
  const Redis = require("ioredis")
  const redis = new Redis(fresh, { lazyConnect: true, maxRetriesPerRequest: 1 })
  redis.on("error", () => undefined) // the failed connect() rejects; no second report
  try {
    await redis.connect()
    await redis.flushdb()
  } finally {
    redis.disconnect()
  }
  return fresh
}

/** A TCP port free on 127.0.0.1 right now. */
function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer()
    server.once("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address()
      server.close(() => resolve(port))
    })
  })
}

/** Whether nothing listens on `port` of `host` right now. */
function portFree(port, host = "127.0.0.1") {
  return new Promise((resolve) => {
    const server = net.createServer()
    server.once("error", () => resolve(false))
    server.listen(port, host, () => server.close(() => resolve(true)))
  })
}

function stopChild(child, timeoutMs = 15000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve()
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs)
    child.once("exit", () => {
      clearTimeout(timer)
      resolve()
    })
    child.kill("SIGTERM")
  })
}

module.exports = { run, build, migrate, boot, stopChild, freePort, portFree, redisUrlWithDb, freshRedisUrl }
