/**
 * Boots the real thing once per run: PostgreSQL (embedded, or DATABASE_URL's
 * server) with a fresh test database, `medusa migrations run`, and the Medusa
 * 1.20.11 store with this plugin (built `dist/`) on a free port. The tests read
 * `.medusa/test-env.json`; the store's log goes to `.medusa/test-server.log`.
 */
require("../../scripts/lib/env")
const fs = require("fs")
const path = require("path")
const { STATE_DIR } = require("../../scripts/lib/env")
const { provideDatabase, TEST_CLUSTER } = require("../../scripts/lib/database")
const { migrate, boot, freePort, freshRedisUrl } = require("../../scripts/lib/store")
const { chromiumPath } = require("../../scripts/lib/dashboard")

const ENV_FILE = path.join(STATE_DIR, "test-env.json")
const LOG_FILE = path.join(STATE_DIR, "test-server.log")
/** Customer events as the store's own subscribers received them (integration-tests/fixtures/store-extensions). */
const EVENTS_FILE = path.join(STATE_DIR, "test-events.jsonl")
/** An API token the store's own AuthService issues (no user has it in the database). */
const STORE_ISSUED = { token: "pk_issued_by_store", email: "store-issued@example.com" }

module.exports = async function globalSetup() {
  const log = (msg) => process.stdout.write(`\n[integration] ${msg}`)
  const db = await provideDatabase({ database: "medusa_plugin_customers_test", fresh: true, cluster: TEST_CLUSTER, log })
  globalThis.__customersDb = db
  log(`database ${db.embedded ? "(embedded) " : ""}ready; running migrations`)
  await migrate(db.url, { quiet: true })

  const port = await freePort()
  fs.mkdirSync(STATE_DIR, { recursive: true })
  const logFd = fs.openSync(LOG_FILE, "w")
  fs.writeFileSync(EVENTS_FILE, "")
  const extensions = { eventsFile: EVENTS_FILE, storeTokens: { [STORE_ISSUED.token]: STORE_ISSUED.email } }
  // a tiny deep-offset threshold sends the small test lists through the read-from-the-end path too
  const env = { MEDUSA_CUSTOMERS_DEEP_OFFSET: "3", MEDUSA_TEST_EXTENSIONS: JSON.stringify(extensions) }
  // with Redis, each test store gets its own logical database: no shared event queues
  if (process.env.REDIS_URL) env.REDIS_URL = await freshRedisUrl(process.env.REDIS_URL, 1)
  else log("REDIS_URL is not set: the two-instance (Redis) test does not run")
  if (!chromiumPath() && process.env.CI !== "true") log("Chromium is not installed (apt-get install chromium): the dashboard test does not run")
  const store = await boot({ databaseUrl: db.url, port, stdio: logFd, env })
  fs.closeSync(logFd)
  globalThis.__customersStore = store
  log(`Medusa store with the plugin listening on port ${port}\n`)

  fs.writeFileSync(
    ENV_FILE,
    JSON.stringify({
      baseUrl: `http://127.0.0.1:${port}`,
      databaseUrl: db.url,
      email: store.email,
      password: store.password,
      apiToken: store.apiToken,
      logFile: LOG_FILE,
      eventsFile: EVENTS_FILE,
      storeIssued: STORE_ISSUED,
      pid: store.child.pid,
    })
  )
}
