import Medusa from "@medusajs/medusa-js"
import fs from "fs"
import os from "os"
import path from "path"
import { Client } from "pg"
import { chromium, type BrowserContext, type Page, type Response } from "playwright-core"

/*
 * The Medusa Admin dashboard (@medusajs/admin 7.1.18) in headless Chromium,
 * against a store that serves the built dashboard and this plugin. Screenshots
 * of every step are kept in artifacts/dashboard/.
 */
const { ROOT, STATE_DIR } = require("../../scripts/lib/env")
const { provideDatabase, TEST_CLUSTER } = require("../../scripts/lib/database")
const { migrate, boot, stopChild, freePort } = require("../../scripts/lib/store")
const { dashboardBuilt, buildDashboard, chromiumPath, CHROMIUM_ARGS } = require("../../scripts/lib/dashboard")

const ARTIFACTS = path.join(ROOT, "artifacts", "dashboard")
const TARGET = { email: "caterina.yost@example.com", first_name: "Caterina", last_name: "Yost", phone: "+1 555 0100" }
// share a first or a last name with the target: a full-name search must leave them out
const OTHERS = [
  { email: "caterina.smith@example.com", first_name: "Caterina", last_name: "Smith" },
  { email: "maria.yost@example.com", first_name: "Maria", last_name: "Yost" },
  { email: "yost.caterina@example.org", first_name: "Yost", last_name: "Caterina" },
]

// a guest (no account): the admin API always creates accounts, so checkout's path is taken in SQL
const GUEST = { email: "zoe@example.net", first_name: "Zoë", last_name: "Müller-García", phone: "030 1234567" }

async function insertGuest(databaseUrl: string): Promise<string> {
  const pg = new Client({ connectionString: databaseUrl })
  await pg.connect()
  try {
    const { rows } = await pg.query(
      "INSERT INTO customer (id, email, first_name, last_name, phone, has_account) VALUES ('cus_dashboard_guest', $1, $2, $3, $4, false) RETURNING id",
      [GUEST.email, GUEST.first_name, GUEST.last_name, GUEST.phone]
    )
    return rows[0].id
  } finally {
    await pg.end()
  }
}

type Store = { child: import("child_process").ChildProcess; apiToken: string; email: string; password: string; port: number }

describe("the Medusa Admin dashboard in Chromium, served by the plugin", () => {
  let store: Store
  let baseUrl: string
  let client: Medusa
  let context: BrowserContext
  let page: Page
  let targetId: string
  let guestId: string
  // every failed /admin request the dashboard makes once logged in (before, it expects 401s)
  const failedRequests: string[] = []
  let loggedIn = false
  let profile: string
  let shot = 0

  const screenshot = async (name: string) => {
    shot += 1
    await page.screenshot({ path: path.join(ARTIFACTS, `${String(shot).padStart(2, "0")}-${name}.png`), fullPage: true })
  }

  beforeAll(async () => {
    const executablePath = chromiumPath()
    if (!executablePath) throw new Error("Chromium not found: install Debian's package (apt-get install chromium) or set CHROMIUM_PATH")
    if (!dashboardBuilt()) await buildDashboard({ quiet: true })
    fs.rmSync(ARTIFACTS, { recursive: true, force: true })
    fs.mkdirSync(ARTIFACTS, { recursive: true })

    const db = await provideDatabase({ database: "admin_dashboard", fresh: true, cluster: TEST_CLUSTER, log: () => undefined })
    await migrate(db.url, { quiet: true })
    const logFd = fs.openSync(path.join(STATE_DIR, "dashboard-server.log"), "w")
    store = await boot({ databaseUrl: db.url, port: await freePort(), stdio: logFd, env: { REDIS_URL: "", MEDUSA_ADMIN: "true" } })
    fs.closeSync(logFd)
    baseUrl = `http://127.0.0.1:${store.port}`
    client = new Medusa({ baseUrl, maxRetries: 3, apiKey: store.apiToken })

    for (const other of OTHERS) await client.admin.customers.create({ ...other, password: "supersecret" })
    targetId = (await client.admin.customers.create({ ...TARGET, password: "supersecret" })).customer.id
    guestId = await insertGuest(db.url)

    profile = fs.mkdtempSync(path.join(os.tmpdir(), "dashboard-profile-"))
    context = await chromium.launchPersistentContext(profile, {
      executablePath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 900 },
    })
    page = context.pages()[0] ?? (await context.newPage())
    page.on("response", (response) => {
      const url = new URL(response.url())
      if (!loggedIn || !url.pathname.startsWith("/admin/") || response.status() < 400) return
      failedRequests.push(`${response.status()} ${response.request().method()} ${url.pathname}${url.search}`)
    })
  }, 300000)

  afterAll(async () => {
    await context?.close()
    await stopChild(store?.child)
    if (profile) fs.rmSync(profile, { recursive: true, force: true })
  })

  const customerResponse = (method: string, match: (url: URL) => boolean) =>
    page.waitForResponse((r: Response) => r.request().method() === method && match(new URL(r.url())))

  /** Types `q` into the customers table's search; expects exactly `id` back, then opens it. */
  const searchAndOpen = async (q: string, id: string, heading: string, name: string) => {
    const searched = customerResponse("GET", (u) => u.pathname === "/admin/customers" && u.searchParams.get("q") === q)
    await page.getByPlaceholder("Search", { exact: true }).fill(q)
    const found = await (await searched).json()
    expect([found.count, found.customers.map((c: { id: string }) => c.id)]).toEqual([1, [id]])
    // the table re-renders after the response: wait until only the match is left
    await page.waitForFunction("document.querySelectorAll('tbody tr').length === 1")
    await screenshot(`search-${name}`)
    await page.getByRole("row", { name: found.customers[0].email }).click()
    await page.waitForURL(new RegExp(`/customers/${id}$`))
    await page.getByRole("heading", { name: heading }).waitFor()
    await screenshot(`customer-${name}`)
  }

  /** Opens the edit form, replaces the first name, saves; returns the update's response. */
  const editFirstName = async (from: string, to: string, name: string): Promise<Response> => {
    // the actions menu of the customer's header (the page has no other menu button)
    await expect(page.locator('button[aria-haspopup="menu"]').count()).resolves.toBe(1)
    await page.locator('button[aria-haspopup="menu"]').click()
    await page.getByRole("menuitem", { name: "Edit" }).click()
    const dialog = page.getByRole("dialog")
    const firstName = dialog.locator('input[name="first_name"]')
    await expect(firstName.inputValue()).resolves.toBe(from)
    await firstName.fill(to)
    await screenshot(`edit-${name}`)
    const saved = customerResponse("POST", (u) => /^\/admin\/customers\/cus_\w+$/.test(u.pathname))
    await dialog.getByRole("button", { name: "Save and close" }).click()
    const response = await saved
    expect(response.status()).toBe(200)
    expect(response.headers()["etag"]).toMatch(/^"[\w-]+"$/) // the plugin's strong ETag; core sends a weak one
    expect(Object.keys((await response.json()).customer)).not.toContain("password_hash")
    return response
  }

  it("logs in, finds a customer by full name, edits the first name and shows the change", async () => {
    await page.goto(`${baseUrl}/app/login`)
    await page.getByPlaceholder("Email").fill(store.email)
    await page.getByPlaceholder("Password").fill(store.password)
    await screenshot("login")
    await page.getByRole("button", { name: "Continue" }).click()
    await page.waitForURL(/\/app\/a\//)
    loggedIn = true

    const firstList = customerResponse("GET", (u) => u.pathname === "/admin/customers")
    await page.getByRole("link", { name: "Customers" }).first().click()
    expect((await (await firstList).json()).count).toBe(OTHERS.length + 2)
    await page.getByRole("cell", { name: TARGET.email }).waitFor()
    await screenshot("customers")

    // core's ILIKE on one column at a time finds nobody for a full name; the plugin finds exactly her
    await searchAndOpen("Caterina Yost", targetId, "Caterina Yost", "full-name")
    const response = await editFirstName("Caterina", "Catalina", "account")
    // the dashboard locks an account's email and leaves it out of the body
    expect(response.request().postDataJSON()).toEqual({ first_name: "Catalina", last_name: "Yost", phone: TARGET.phone, metadata: {} })
    expect((await response.json()).customer).toMatchObject({ id: targetId, first_name: "Catalina", last_name: "Yost", email: TARGET.email })
    await page.getByRole("heading", { name: "Catalina Yost" }).waitFor()
    await screenshot("saved-account")

    // the plugin's widget under the customer's details (src/admin/widgets/customer-history.tsx):
    // the edit on top, by the logged-in user, then the create (by the API token's user)
    const [user] = (await client.admin.users.list()).users
    const entries = page.getByTestId("customer-history-entry")
    await entries.filter({ hasText: "first_name: Caterina → Catalina" }).waitFor()
    await entries.nth(1).scrollIntoViewIfNeeded()
    await screenshot("history-widget")
    await expect(entries.count()).resolves.toBe(2)
    await expect(entries.nth(0).getByTestId("customer-history-who").innerText()).resolves.toBe(`Updated by user ${user.id}`)
    await expect(entries.nth(0).locator("li").allInnerTexts()).resolves.toEqual(["first_name: Caterina → Catalina"])
    await expect(entries.nth(1).getByTestId("customer-history-who").innerText()).resolves.toBe(`Created by user ${user.id}`)

    const { customer } = await client.admin.customers.retrieve(targetId)
    expect([customer.first_name, customer.last_name, customer.email, customer.phone]).toEqual(["Catalina", "Yost", TARGET.email, TARGET.phone])
    expect(failedRequests).toEqual([])
  }, 120000)

  // goes on from the first test's session, as an admin would
  it("finds a guest without accents and saves the full edit form, unchanged email included", async () => {
    const list = customerResponse("GET", (u) => u.pathname === "/admin/customers")
    await page.getByRole("link", { name: "Customers" }).first().click()
    expect((await list).status()).toBe(200)
    await searchAndOpen("zoe muller", guestId, "Zoë Müller-García", "accent-insensitive")
    const response = await editFirstName("Zoë", "Zoey", "guest")
    expect(response.request().postDataJSON()).toEqual({
      first_name: "Zoey",
      last_name: "Müller-García",
      email: GUEST.email,
      phone: GUEST.phone,
      metadata: {},
    })
    await page.getByRole("heading", { name: "Zoey Müller-García" }).waitFor()
    await screenshot("saved-guest")

    const { customer } = await client.admin.customers.retrieve(guestId)
    expect([customer.first_name, customer.email, customer.has_account]).toEqual(["Zoey", GUEST.email, false])
    expect(failedRequests).toEqual([])
  }, 120000)
})
