/**
 * Boots a Medusa 1.20 store from `MEDUSA_DIRECTORY` (default: this repository,
 * whose `dist/` is loaded as the project plugin), makes sure the admin user
 * exists with an API token, and listens on PORT. Used by `npm start` and by the
 * integration tests. When started with an IPC channel it reports
 * `{ type: "ready", port, email, password, apiToken }` to its parent.
 */
const { ROOT } = require("./lib/env")
const crypto = require("crypto")
const fs = require("fs")
const path = require("path")

const directory = path.resolve(process.env.MEDUSA_DIRECTORY || ROOT)
const port = Number(process.env.PORT || 9000)
const admin = {
  email: process.env.MEDUSA_ADMIN_EMAIL || "admin@medusa-test.com",
  password: process.env.MEDUSA_ADMIN_PASSWORD || "supersecret",
  apiToken: process.env.MEDUSA_ADMIN_API_TOKEN,
}

function requireFromStore(id) {
  return require(require.resolve(id, { paths: [directory] }))
}

/** A package Medusa itself depends on, as Medusa gets it (a store installed by pnpm does not list them). */
function requireFromMedusa(id) {
  const medusaDir = fs.realpathSync(path.dirname(require.resolve("@medusajs/medusa/package.json", { paths: [directory] })))
  return require(require.resolve(id, { paths: [medusaDir] }))
}

async function ensureAdmin(container) {
  const manager = container.resolve("manager")
  const userService = container.resolve("userService")
  return await manager.transaction(async (tm) => {
    const users = userService.withTransaction(tm)
    let user = await users.retrieveByEmail(admin.email, { select: ["id", "email", "api_token"] }).catch(() => undefined)
    if (!user) user = await users.create({ email: admin.email, role: "admin" }, admin.password)
    const apiToken = admin.apiToken || user.api_token || `pk_${crypto.randomBytes(24).toString("hex")}`
    if (user.api_token !== apiToken) await users.update(user.id, { api_token: apiToken })
    return { email: admin.email, password: admin.password, apiToken }
  })
}

async function main() {
  const express = requireFromStore("express")
  const loaders = requireFromStore("@medusajs/medusa/dist/loaders").default
  const { GracefulShutdownServer } = requireFromMedusa("medusa-core-utils")

  const app = express()
  const { container, shutdown } = await loaders({ directory, expressApp: app, isTest: false })
  const credentials = await ensureAdmin(container)
  const http = app.listen(port, process.env.HOST || "0.0.0.0", () => {
    const ready = { type: "ready", port, ...credentials }
    if (process.send) process.send(ready)
    else console.log(`Medusa store listening on http://localhost:${port}`)
  })
  http.once("error", (err) => {
    console.error(`Cannot listen on port ${port} (${err.message}): stop what listens there, or set PORT to a free port`)
    process.exit(1)
  })
  const server = GracefulShutdownServer.create(http)

  const stop = async () => {
    await server.shutdown().catch(() => undefined)
    await shutdown().catch(() => undefined)
    process.exit(0)
  }
  process.once("SIGTERM", stop)
  process.once("SIGINT", stop)
}

// one line, not a stack trace: the parent (npm start, a test) says what to do
main().catch((err) => {
  console.error(`Medusa did not start: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`)
  process.exit(1)
})
