/*
 * A store's TypeScript against the package's main (index.d.ts), checked by `npm run typecheck`:
 * the hooks' handlers get typed data and context, and misuse does not compile (each
 * @ts-expect-error fails the check if its line compiles, e.g. were the types `any`).
 */
import { MedusaError } from "medusa-core-utils"
import { createCustomerWorkflow, customersPlugin, updateCustomerWorkflow, type CustomerCreatedData } from "../../index"

const entry: { resolve: "medusa-plugin-customers" } = customersPlugin({ fuzzySearch: false, enableUI: true })
// @ts-expect-error an option the plugin does not have
customersPlugin({ fuzzySerch: false })

const removeValidate: () => void = createCustomerWorkflow.hooks.validate(async ({ input }) => {
  const domain: string = input.email.split("@")[1]
  if (domain === "mailinator.com") throw new MedusaError(MedusaError.Types.INVALID_DATA, "Disposable email addresses are not accepted")
  // @ts-expect-error the email is a string
  const wrong: number = input.email
  return wrong
})

createCustomerWorkflow.hooks.customerCreated(async ({ customer }: CustomerCreatedData, { container, manager }) => {
  const id: string = customer.id
  const logger = container.resolve<{ info(message: string): void }>("logger")
  logger.info(id)
  await manager.query("SELECT 1")
})

updateCustomerWorkflow.hooks.customerUpdated(({ before, after }) => {
  const renamed: boolean = before.first_name !== after.first_name
  return renamed
})

// @ts-expect-error hooks take a function
updateCustomerWorkflow.hooks.validate("not a handler")

export { entry, removeValidate }
