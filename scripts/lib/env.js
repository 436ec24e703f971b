/**
 * Process environment shared by every process this project starts.
 *
 * Medusa telemetry must be off everywhere: without network it queues events in
 * `$XDG_CONFIG_HOME/medusa/events.json` forever and forks a sender on every exit.
 * `MEDUSA_DISABLE_TELEMETRY` alone is not enough, the config store must also say
 * `telemetry.enabled: false`, so we point XDG_CONFIG_HOME at a project-local folder
 * holding exactly that. Require this module before anything loads Medusa.
 */
const fs = require("fs")
const path = require("path")

const ROOT = path.resolve(__dirname, "..", "..")
const STATE_DIR = path.join(ROOT, ".medusa")
const XDG_DIR = path.join(STATE_DIR, "xdg")

function writeTelemetryConfig() {
  const dir = path.join(XDG_DIR, "medusa")
  const file = path.join(dir, "config.json")
  const wanted = { telemetry: { enabled: false } }
  let current
  try {
    current = JSON.parse(fs.readFileSync(file, "utf8"))
  } catch {
    current = undefined
  }
  if (!current || !current.telemetry || current.telemetry.enabled !== false) {
    fs.mkdirSync(dir, { recursive: true })
    fs.writeFileSync(file, JSON.stringify({ ...(current || {}), ...wanted }, null, 2))
  }
}

/** Sets the telemetry guards on this process (children inherit them). */
function applyProjectEnv() {
  writeTelemetryConfig()
  process.env.MEDUSA_DISABLE_TELEMETRY = "true"
  process.env.XDG_CONFIG_HOME = XDG_DIR
  return process.env
}

applyProjectEnv()

module.exports = { ROOT, STATE_DIR, XDG_DIR, applyProjectEnv }
