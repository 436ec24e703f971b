/** Types of the package's main (index.js), for stores written in TypeScript. */
import type { CustomersPluginOptions } from "./dist/options"

export type { CustomersPluginOptions } from "./dist/options"
export type { CreateValidateData, CustomerCreatedData } from "./dist/workflows/create-customer"
export type { UpdateValidateData, CustomerUpdatedData } from "./dist/workflows/update-customer"
export type { HookContext, HookHandler, StoreContainer } from "./dist/workflows/hooks"
export type { CustomerJson } from "./dist/lib/customer-writes"
export { validateOptions } from "./dist/options"
export { createCustomerWorkflow } from "./dist/workflows/create-customer"
export { updateCustomerWorkflow } from "./dist/workflows/update-customer"

/** The plugin's entry for `plugins` in medusa-config.js, its options checked when the config loads. */
export declare function customersPlugin(options?: CustomersPluginOptions): { resolve: "medusa-plugin-customers"; options: CustomersPluginOptions }
