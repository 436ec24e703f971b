/**
 * `npm start`: a running Medusa 1.20 store with this plugin, from nothing.
 * Embedded PostgreSQL unless DATABASE_URL is set; migrations; an admin user
 * with an API token; then the URL, the credentials and a medusa-js snippet.
 */
require("./lib/env")
const { provideDatabase } = require("./lib/database")
const { build, migrate, boot, stopChild } = require("./lib/store")
const { dashboardWanted, dashboardBuilt, buildDashboard } = require("./lib/dashboard")

const port = Number(process.env.PORT || 9000)
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

async function main() {
  const db = await provideDatabase({ log })
  log(db.embedded ? `Embedded PostgreSQL ready: ${db.url}` : "Using DATABASE_URL")
  let store
  const shutdown = async (code) => {
    if (store) await stopChild(store.child)
    await db.stop()
    process.exit(code)
  }
  process.once("SIGINT", () => shutdown(0))
  process.once("SIGTERM", () => shutdown(0))
  try {
    log("Building the plugin (tsc)")
    await build()
    if (dashboardWanted() && !dashboardBuilt()) {
      log("Building the Medusa Admin dashboard into .medusa/admin (first start only)")
      // the API does not need the dashboard: a failed build is reported, the store still starts
      await buildDashboard({ quiet: true }).catch((err) => log(`The dashboard did not build, /app stays off: ${err.message}`))
    }
    log("Running migrations (medusa migrations run)")
    await migrate(db.url, { quiet: true })
    log(`Starting Medusa on port ${port}`)
    store = await boot({ databaseUrl: db.url, port })
  } catch (err) {
    console.error(err instanceof Error ? err.message : err)
    return shutdown(1)
  }
  console.log(banner(store))
  store.child.once("exit", (code) => shutdown(code ?? 1))
}

main()
