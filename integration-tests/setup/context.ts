import Medusa from "@medusajs/medusa-js"
import fs from "fs"
import path from "path"
import { Client } from "pg"

export type TestEnv = {
  baseUrl: string
  databaseUrl: string
  email: string
  password: string
  apiToken: string
  logFile: string
  eventsFile: string
  storeIssued: { token: string; email: string }
  pid: number
}

const ENV_FILE = path.resolve(__dirname, "..", "..", ".medusa", "test-env.json")

export function testEnv(): TestEnv {
  return JSON.parse(fs.readFileSync(ENV_FILE, "utf8")) as TestEnv
}

/** The client our users run, the way the docs construct it, authenticated with the admin's API token. */
export function adminClient(extra: { customHeaders?: Record<string, string>; apiKey?: string } = {}): Medusa {
  const env = testEnv()
  return new Medusa({ baseUrl: env.baseUrl, maxRetries: 3, apiKey: extra.apiKey ?? env.apiToken, customHeaders: extra.customHeaders })
}

/** A client with no credentials at all. */
export function anonymousClient(): Medusa {
  return new Medusa({ baseUrl: testEnv().baseUrl, maxRetries: 0 })
}

let client: Client | undefined

/** A direct connection to the test database, for asserting what was (not) written. */
export async function db(): Promise<Client> {
  if (!client) {
    client = new Client({ connectionString: testEnv().databaseUrl })
    await client.connect()
  }
  return client
}

export async function closeDb(): Promise<void> {
  await client?.end()
  client = undefined
}

/** Removes every customer (and what hangs off them) between tests. */
export async function resetCustomers(): Promise<void> {
  const pg = await db()
  await pg.query(
    "TRUNCATE customer_group_customers, customer_group, address, customer RESTART IDENTITY CASCADE"
  )
}

/** The store's log since the run began. */
export function serverLog(): string {
  return fs.readFileSync(testEnv().logFile, "utf8")
}

export type DeliveredEvent = { event: string; id: string; keys: string[] }

/**
 * The environment of a store that loads the tests' own extensions
 * (integration-tests/fixtures/store-extensions): its subscribers record every
 * delivered customer event in `eventsFile` (emptied here), and its AuthService
 * accepts `storeTokens` (token → user email).
 */
export function storeExtensionsEnv(eventsFile: string, storeTokens: Record<string, string> = {}): { MEDUSA_TEST_EXTENSIONS: string } {
  fs.writeFileSync(eventsFile, "")
  return { MEDUSA_TEST_EXTENSIONS: JSON.stringify({ eventsFile, storeTokens }) }
}

/** Every event recorded in `eventsFile` so far, in the order delivered. */
export function recordedEvents(eventsFile: string): DeliveredEvent[] {
  return fs
    .readFileSync(eventsFile, "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DeliveredEvent)
}

/**
 * The events of customer `id` the test store's subscribers received, once at
 * least `atLeast` of them have arrived or 15 s have passed.
 */
export async function deliveredEvents(id: string, atLeast: number): Promise<DeliveredEvent[]> {
  const deadline = Date.now() + 15000
  for (;;) {
    const events = recordedEvents(testEnv().eventsFile).filter((e) => e.id === id)
    if (events.length >= atLeast || Date.now() >= deadline) return events
    await new Promise((resolve) => setTimeout(resolve, 250))
  }
}

type HttpError = { response?: { status: number; data: unknown } }

/** Awaits a request expected to fail; returns its status and JSON body. */
export async function failure(request: Promise<unknown>): Promise<{ status: number; body: any }> {
  try {
    await request
  } catch (err) {
    const response = (err as HttpError).response
    if (!response) throw err
    return { status: response.status, body: response.data }
  }
  throw new Error("expected the request to fail, it succeeded")
}

/** Raw HTTP, for what medusa-js cannot send (malformed JSON, odd bodies). */
export async function raw(
  method: string,
  urlPath: string,
  { body, headers = {}, auth = true }: { body?: string; headers?: Record<string, string>; auth?: boolean } = {}
): Promise<{ status: number; contentType: string | null; text: string; headers: Headers }> {
  const env = testEnv()
  const res = await fetch(`${env.baseUrl}${urlPath}`, {
    method,
    body,
    headers: { ...(auth ? { "x-medusa-access-token": env.apiToken } : {}), ...headers },
  })
  return { status: res.status, contentType: res.headers.get("content-type"), text: await res.text(), headers: res.headers }
}

/** The four customer routes as `[method, path, body]`, with a valid body for each POST. */
export function customerRoutes(id: string, newEmail: string): [string, string, string | undefined][] {
  return [
    ["GET", "/admin/customers", undefined],
    ["POST", "/admin/customers", JSON.stringify({ email: newEmail, first_name: "a", last_name: "b", password: "c" })],
    ["GET", `/admin/customers/${id}`, undefined],
    ["POST", `/admin/customers/${id}`, JSON.stringify({ first_name: "Changed" })],
  ]
}

/**
 * Milliseconds until the store refuses an API token (401) on `GET /admin/customers`,
 * asking every 10 ms; any other answer than 200 or 401, or `limitMs` passing, fails.
 * A token revoked in the database is refused once the store hears of the change
 * (its API-token cache, lib/api-token-cache.ts): within milliseconds.
 */
export async function msUntilTokenRefused(token: string, limitMs: number): Promise<number> {
  const started = Date.now()
  for (;;) {
    const { status } = await raw("GET", "/admin/customers", { auth: false, headers: { "x-medusa-access-token": token } })
    const elapsed = Date.now() - started
    if (status === 401) return elapsed
    if (status !== 200 || elapsed >= limitMs) throw new Error(`token still answered ${status} after ${elapsed} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}
