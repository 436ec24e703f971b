/**
 * The development store that loads this plugin (the repository root is loaded by
 * Medusa as the project plugin, from `dist/`). `scripts/start.js` sets
 * DATABASE_URL to the embedded PostgreSQL when none is given.
 */
const fs = require("fs")
const path = require("path")
const { DASHBOARD_DIR, dashboardWanted } = require("./scripts/lib/dashboard")

const REDIS_URL = process.env.REDIS_URL
const ADMIN_CORS = process.env.ADMIN_CORS || "http://localhost:7000,http://localhost:7001"
const STORE_CORS = process.env.STORE_CORS || "http://localhost:8000"

/** @type {import('@medusajs/medusa').ConfigModule} */
module.exports = {
  projectConfig: {
    database_url: process.env.DATABASE_URL,
    database_type: "postgres",
    database_extra: { max: Number(process.env.DATABASE_POOL_MAX || 20) },
    redis_url: REDIS_URL,
    jwt_secret: process.env.JWT_SECRET || "supersecret",
    cookie_secret: process.env.COOKIE_SECRET || "supersecret",
    admin_cors: ADMIN_CORS,
    store_cors: STORE_CORS,
    auth_cors: ADMIN_CORS,
  },
  plugins: [...adminDashboard(), ...testExtensions()],
  // With REDIS_URL: Medusa's Redis event bus and cache, for several instances behind a load balancer.
  modules: REDIS_URL
    ? {
        eventBus: { resolve: "@medusajs/event-bus-redis", options: { redisUrl: REDIS_URL } },
        cacheService: { resolve: "@medusajs/cache-redis", options: { redisUrl: REDIS_URL } },
      }
    : {
        eventBus: { resolve: "@medusajs/event-bus-local" },
        cacheService: { resolve: "@medusajs/cache-inmemory" },
      },
  // The dashboard must not phone home (no network here, and telemetry stays off).
  featureFlags: { analytics: false },
}

/**
 * The Medusa Admin dashboard (@medusajs/admin 7.1, a dev dependency), served at /app once
 * `npm run build:admin` (or the first `npm start`) has built it into .medusa/admin. Without a
 * build it is still listed (so `medusa-admin build` finds its options) but does not serve,
 * instead of panicking. The build runs in this directory, so it bundles the plugin's own
 * admin extensions (src/admin: the customer history widget) as the project's local ones;
 * `enableUI` only concerns installed plugins that ship a `medusa-admin bundle` output.
 */
function adminDashboard() {
  if (!dashboardWanted()) return []
  // absolute: the dashboard's server resolves it from the process's working directory
  const served = fs.existsSync(path.join(DASHBOARD_DIR, "index.html"))
  return [
    {
      resolve: "@medusajs/admin",
      options: { serve: served, autoRebuild: false, path: "/app", outDir: DASHBOARD_DIR, backend: "/" },
    },
  ]
}

/**
 * What the integration tests add as a store would (integration-tests/fixtures/store-extensions:
 * an AuthService of its own, subscribers recording events), with the options they pass in
 * MEDUSA_TEST_EXTENSIONS. Nothing without it.
 */
function testExtensions() {
  const options = process.env.MEDUSA_TEST_EXTENSIONS
  if (!options) return []
  return [{ resolve: path.join(__dirname, "integration-tests", "fixtures", "store-extensions"), options: JSON.parse(options) }]
}
