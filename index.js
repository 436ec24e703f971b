/**
 * medusa-plugin-customers. In medusa-config.js either
 *   plugins: [{ resolve: "medusa-plugin-customers", options: { … } }]
 * or, to have the options checked when the config loads:
 *   const { customersPlugin } = require("medusa-plugin-customers")
 *   plugins: [customersPlugin({ fuzzySearch: true })]
 *
 * The workflows every customer create and update runs, with their hooks
 * (docs/extending.md):
 *   const { createCustomerWorkflow, updateCustomerWorkflow } = require("medusa-plugin-customers")
 *   createCustomerWorkflow.hooks.validate(async ({ input }, { container }) => { … })
 */
const { validateOptions } = require("./dist/options")
const { createCustomerWorkflow } = require("./dist/workflows/create-customer")
const { updateCustomerWorkflow } = require("./dist/workflows/update-customer")

function customersPlugin(options = {}) {
  validateOptions(options)
  return { resolve: "medusa-plugin-customers", options }
}

module.exports = { customersPlugin, validateOptions, createCustomerWorkflow, updateCustomerWorkflow }
