/**
 * `npm start`: a running Medusa 1.20 store with this plugin, from nothing.
 * Embedded PostgreSQL unless DATABASE_URL is set; migrations; an admin user
 * with an API token; then the URL, the credentials and a medusa-js snippet.
 * A failure to start ends with one line: what happened and what to do.
 */
const fs = require("fs")
const path = require("path")
const { STATE_DIR } = require("./lib/env")
const { provideDatabase } = require("./lib/database")
const { build, migrate, boot, stopChild, portFree } = require("./lib/store")
const { dashboardWanted, dashboardBuilt, buildDashboard } = require("./lib/dashboard")

const port = Number(process.env.PORT || 9000)
const HOST = process.env.HOST || "0.0.0.0"
const MIGRATIONS_LOG = path.join(STATE_DIR, "migrations.log")
const log = (msg) => console.log(`[start] ${msg}`)

function banner({ email, password, apiToken }) {
  const url = `http://localhost:${port}`
  return [
    "",
    "  Medusa store with medusa-plugin-customers is running",
    `  URL:       ${url}   (health: ${url}/health)`,
    ...(dashboardWanted() && dashboardBuilt() ? [`  Dashboard: ${url}/app   (the Medusa Admin)`] : []),
    `  Admin:     ${email} / ${password}`,
    `  API token: ${apiToken}`,
    "",
    "  Try it with @medusajs/medusa-js:",
    "",
    `    const Medusa = require("@medusajs/medusa-js").default`,
    `    const medusa = new Medusa({ baseUrl: "${url}", maxRetries: 3, apiKey: "${apiToken}" })`,
    `    const { customer } = await medusa.admin.customers.create({`,
    `      email: "user@example.com", first_name: "Caterina", last_name: "Yost", password: "supersecret" })`,
    `    const { customers, count } = await medusa.admin.customers.list({ q: "yost" })`,
    "",
    "  Stop with Ctrl+C.",
    "",
  ].join("\n")
}

/** A start-up failure: what happened (`message`) and what to do (`todo`), said in one line. */
class StartFailure extends Error {
  constructor(message, todo) {
    super(message)
    this.todo = todo
  }
}

/** `run()`; its failure becomes a StartFailure: `what`, the line that names the error, and `todo`. */
async function step(what, todo, run) {
  try {
    return await run()
  } catch (err) {
    const text = err instanceof Error ? err.message : String(err)
    if (/ENOSPC|No space left on device/.test(text)) {
      throw new StartFailure(`${what}: the disk is full (No space left on device)`, "Free some disk space (df -h shows where), then run npm start again")
    }
    throw new StartFailure(`${what}: ${errorLine(text)}`, todo)
  }
}

/** The line of a command's output that names its error (not a stack frame), else its first line. */
function errorLine(text) {
  const lines = text.split("\n").map((line) => line.trim()).filter(Boolean)
  const thrown = lines.slice(1).find((line) => /^[A-Za-z]*Error: /.test(line))
  const named = lines.slice(1).find((line) => /error/i.test(line) && !line.startsWith("at "))
  return thrown || named || lines[0] || "no reason given"
}

/** One line on stderr for any failure, `[start]` and what to do; nothing is thrown past it. */
function oneLine(err) {
  if (err instanceof StartFailure) return `[start] ${err.message}. ${err.todo}`
  const text = err instanceof Error ? err.message : String(err)
  return `[start] Unexpected failure: ${errorLine(text)}. Run npm start again; if it fails the same way, report this line`
}

async function main(state) {
  const db = await step("The database is not available", "Fix that, or set DATABASE_URL to a PostgreSQL server of your own", () => provideDatabase({ log }))
  state.db = db
  log(db.embedded ? `Embedded PostgreSQL ready: ${db.url}` : "Using DATABASE_URL")
  if (!(await portFree(port, HOST))) {
    throw new StartFailure(`Port ${port} is taken by another program`, `Stop it, or start on another port: PORT=${port + 1} npm start`)
  }
  log("Building the plugin (tsc)")
  await step("The plugin did not build", "Fix the error in src/, then run npm start again", () => build({ quiet: true }))
  if (dashboardWanted() && !dashboardBuilt()) {
    log("Building the Medusa Admin dashboard into .medusa/admin (first start only)")
    // the API does not need the dashboard: a failed build is reported, the store still starts
    await buildDashboard({ quiet: true }).catch((err) => log(`The dashboard did not build, /app stays off: ${errorLine(err.message)}`))
  }
  log("Running migrations (medusa migrations run)")
  await step("The migrations failed", `Fix the cause (its whole output: ${MIGRATIONS_LOG}), then run npm start again`, () =>
    migrate(db.url, { quiet: true }).catch((err) => {
      fs.mkdirSync(STATE_DIR, { recursive: true })
      fs.writeFileSync(MIGRATIONS_LOG, err.message)
      throw err
    })
  )
  log(`Starting Medusa on port ${port}`)
  state.store = await step("Medusa did not start", "Fix the first error in its log above, then run npm start again", () =>
    boot({ databaseUrl: db.url, port })
  )
  console.log(banner(state.store))
  state.store.child.once("exit", (code) => shutdown(state, code ?? 1))
}

async function shutdown(state, code) {
  if (state.stopping) return
  state.stopping = true
  await stopChild(state.store?.child).catch(() => undefined)
  await state.db?.stop().catch(() => undefined)
  process.exit(code)
}

const state = {}
const fail = (err) => {
  console.error(oneLine(err))
  void shutdown(state, 1)
}
process.once("SIGINT", () => shutdown(state, 0))
process.once("SIGTERM", () => shutdown(state, 0))
process.on("unhandledRejection", fail)
process.on("uncaughtException", fail)
main(state).catch(fail)
