const { stopChild } = require("../../scripts/lib/store")

module.exports = async function globalTeardown() {
  await stopChild(globalThis.__customersStore && globalThis.__customersStore.child)
  if (globalThis.__customersDb) await globalThis.__customersDb.stop()
}
