/**
 * medusa-plugin-customers. In medusa-config.js either
 *   plugins: [{ resolve: "medusa-plugin-customers", options: { … } }]
 * or, to have the options checked when the config loads:
 *   const { customersPlugin } = require("medusa-plugin-customers")
 *   plugins: [customersPlugin({ fuzzySearch: true })]
 */
const { validateOptions } = require("./dist/options")

function customersPlugin(options = {}) {
  validateOptions(options)
  return { resolve: "medusa-plugin-customers", options }
}

module.exports = { customersPlugin, validateOptions }
