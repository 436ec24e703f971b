import { envCount } from "./utils/env"

/** Options of medusa-plugin-customers, as given in medusa-config.js (`{ resolve, options }`). */
export type CustomersPluginOptions = {
  /** Tolerate one typo in a name when a search finds nothing as typed. Default `true`. */
  fuzzySearch?: boolean
  /** Offsets from here on are read from the far end of the list. Default 10,000 (env `MEDUSA_CUSTOMERS_DEEP_OFFSET`). */
  deepOffset?: number
  /** Build missing search and uniqueness indexes at start-up, concurrently. Default `true`. */
  buildIndexesOnStart?: boolean
  /**
   * Keep the user an API token belongs to in memory while a listener hears
   * every change to the `user` table (a revoked token stops working within
   * milliseconds; within 10 s if that listener's connection dies unnoticed).
   * `false`: look the token up on every request, as core does. Default `true`.
   */
  cacheApiTokens?: boolean
  /**
   * Send the statements of the admin customer reads and of every update as prepared statements
   * of the connection. `false` behind a transaction-mode pooler that does not keep them per
   * client (PgBouncer before 1.24 without `max_prepared_statements`). Default `true`.
   */
  preparedStatements?: boolean
  /**
   * Read by @medusajs/admin, not by the plugin: `true` has the store's `medusa-admin build`
   * bundle the plugin's admin widget (the customer history). Default `false`.
   */
  enableUI?: boolean
}

export type ResolvedOptions = Required<CustomersPluginOptions>

export const defaultOptions = (): ResolvedOptions => ({
  fuzzySearch: true,
  deepOffset: envCount("MEDUSA_CUSTOMERS_DEEP_OFFSET", 10_000),
  buildIndexesOnStart: true,
  cacheApiTokens: true,
  preparedStatements: true,
  enableUI: false,
})

const KNOWN: (keyof ResolvedOptions)[] = ["fuzzySearch", "deepOffset", "buildIndexesOnStart", "cacheApiTokens", "preparedStatements", "enableUI"]

function fail(option: string, expected: string, value: unknown): never {
  throw new Error(`medusa-plugin-customers: option \`${option}\` must be ${expected}, got ${JSON.stringify(value)}`)
}

/**
 * Checks the options once and fills in the defaults; an error names the option
 * and what it expects. Medusa hands the project's own plugin its whole config
 * (`projectConfig`, …): that is "no options".
 */
export function validateOptions(raw: unknown): ResolvedOptions {
  const options = defaultOptions()
  if (raw === undefined || raw === null) return options
  if (typeof raw !== "object" || Array.isArray(raw)) fail("options", "an object", raw)
  if ("projectConfig" in raw) return options
  for (const [key, value] of Object.entries(raw)) {
    if (!(KNOWN as string[]).includes(key)) fail(key, `one of ${KNOWN.join(", ")} (unknown option)`, value)
    if (value === undefined) continue
    if (key === "deepOffset") {
      if (!Number.isInteger(value) || (value as number) < 1) fail(key, "an integer ≥ 1", value)
      options.deepOffset = value as number
    } else {
      if (typeof value !== "boolean") fail(key, "true or false", value)
      options[key as "fuzzySearch" | "buildIndexesOnStart" | "cacheApiTokens" | "preparedStatements" | "enableUI"] = value as boolean
    }
  }
  return options
}
