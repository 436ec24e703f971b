/**
 * The Medusa Admin dashboard (@medusajs/admin 7.1, the v1 dashboard) for the
 * development store: `medusa-admin build` writes it to .medusa/admin, which
 * medusa-config.js serves at /app. Headless Chromium (Debian's `chromium`,
 * driven by playwright-core) for the end-to-end test.
 */
const fs = require("fs")
const path = require("path")
const { ROOT } = require("./env")
const { run } = require("./store")

const DASHBOARD_DIR = path.join(ROOT, ".medusa", "admin")

/** Installed (a dev dependency of this repository) and not turned off with MEDUSA_ADMIN=false. */
function dashboardWanted() {
  if (process.env.MEDUSA_ADMIN === "false") return false
  try {
    require.resolve("@medusajs/admin/package.json", { paths: [ROOT] })
    return true
  } catch {
    return false
  }
}

/**
 * What built .medusa/admin: the @medusajs/admin version and a hash of the plugin's admin
 * extensions (src/admin, which `medusa-admin build` bundles as the project's own); another
 * version or a changed extension means a rebuild.
 */
const STAMP = path.join(DASHBOARD_DIR, ".built-with")
const EXTENSIONS_DIR = path.join(ROOT, "src", "admin")
const installedVersion = () => require(require.resolve("@medusajs/admin/package.json", { paths: [ROOT] })).version

function extensionsHash() {
  const hash = require("crypto").createHash("sha256")
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(file)
      else hash.update(path.relative(ROOT, file)).update(fs.readFileSync(file))
    }
  }
  if (fs.existsSync(EXTENSIONS_DIR)) walk(EXTENSIONS_DIR)
  return hash.digest("hex").slice(0, 16)
}

const buildStamp = () => `${installedVersion()} ${extensionsHash()}`

function dashboardBuilt() {
  if (!fs.existsSync(path.join(DASHBOARD_DIR, "index.html")) || !fs.existsSync(STAMP)) return false
  return fs.readFileSync(STAMP, "utf8").trim() === buildStamp()
}

/** `medusa-admin build` with the options medusa-config.js gives the dashboard (~15 s, ~1.1 GB peak). */
async function buildDashboard(opts) {
  // medusa-config.js lists the dashboard (where the build reads its options) unless MEDUSA_ADMIN=false
  const env = { ...process.env }
  delete env.MEDUSA_ADMIN
  await run(path.join(ROOT, "node_modules", ".bin", "medusa-admin"), ["build"], { ...opts, env })
  fs.writeFileSync(STAMP, `${buildStamp()}\n`)
}

/** Debian's Chromium (`apt-get install chromium`), or CHROMIUM_PATH; undefined when absent. */
function chromiumPath() {
  const configured = process.env.CHROMIUM_PATH
  if (configured) {
    if (!fs.existsSync(configured)) throw new Error(`CHROMIUM_PATH is ${configured}, which does not exist`)
    return configured
  }
  return ["/usr/bin/chromium", "/usr/bin/chromium-browser"].find((candidate) => fs.existsSync(candidate))
}

/**
 * Flags for a closed network: without the background-networking ones Chromium
 * keeps opening connections the machine refuses.
 */
const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
]

if (require.main === module) {
  // `npm run build:admin`
  buildDashboard().then(
    () => console.log(`Medusa Admin dashboard built into ${path.relative(process.cwd(), DASHBOARD_DIR)}`),
    (err) => {
      console.error(err.message)
      process.exit(1)
    }
  )
}

module.exports = { DASHBOARD_DIR, dashboardWanted, dashboardBuilt, buildDashboard, chromiumPath, CHROMIUM_ARGS }
