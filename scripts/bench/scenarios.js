/**
 * What the benchmark measures: the requests, the ground truth of every search
 * (which customers an admin typing `q` means, by plain SQL), and the plugin's
 * own SQL for a request, timed with EXPLAIN ANALYZE.
 */
const path = require("path")
const { ROOT } = require("../lib/env")

/** Searches as admins type them, with the customers they mean. */
const SEARCHES = [
  { name: "q surname", q: "Yost", truth: "lower(last_name) = 'yost'" },
  { name: "q full name", q: "Caterina Yost", truth: "first_name = 'Caterina' AND last_name = 'Yost'" },
  { name: "q accented name", q: "zoe muller", truth: "first_name = 'Zoë' AND last_name LIKE 'Müller%'" },
  { name: "q email fragment", q: "yost-family", truth: "email LIKE '%yost-family%'" },
  { name: "q phone digits", q: "5558675309", truth: "regexp_replace(phone, '[^0-9]', '', 'g') LIKE '%5558675309%'" },
  // a fragment a quarter of all customers match: "found" compares the `count` each store reports
  {
    name: "q broad (gmail)",
    q: "gmail",
    truth: "lower(email) LIKE '%gmail%' OR lower(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE '%gmail%'",
    broad: true,
  },
  // one and two characters make no trigram: most customers match them
  {
    name: "q one character",
    q: "a",
    truth: "customers_norm(email) LIKE '%a%' OR customers_norm(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE '%a%'",
    broad: true,
  },
  {
    name: "q two characters",
    q: "an",
    truth: "customers_norm(email) LIKE '%an%' OR customers_norm(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) LIKE '%an%'",
    broad: true,
  },
]

function scenarios({ customers, ids, updateIds, emails, groupId, nonce, heavy = [] }) {
  const deep = Math.floor(customers * 0.9)
  let created = 0
  // one sequence across both stores: each update really changes a name (the store measured second
  // must not rename the same customers to the same values, a no-op that touches no index)
  let updated = 0
  const list = (name, query) => ({ name, kind: "list", query, request: () => ({ path: `/admin/customers${query ? `?${query}` : ""}` }) })
  const search = (s) => ({ ...list(s.name, `q=${encodeURIComponent(s.q)}`), search: s })
  return [
    // Medusa's own floor: authentication plus one user read, no customer code (same route in both stores)
    { name: "floor /admin/auth", kind: "floor", request: () => ({ path: "/admin/auth" }) },
    list("list default", ""),
    list("list dashboard", "expand=orders,groups,billing_address&offset=0&limit=15"),
    ...SEARCHES.filter((s) => !s.broad).map(search),
    list(`offset ${deep}`, `offset=${deep}&limit=50`),
    list("groups filter", `groups%5B%5D=${groupId}`),
    // an existing customer's email as an admin might paste it, in capitals (core has no email filter: 400)
    {
      name: "email filter",
      kind: "list",
      request: (i) => ({ path: `/admin/customers?email=${encodeURIComponent(emails[i % emails.length])}` }),
    },
    { name: "retrieve", kind: "retrieve", request: (i) => ({ path: `/admin/customers/${ids[i % ids.length]}` }) },
    {
      name: "update",
      kind: "write",
      request: () => {
        const n = updated++
        return {
          method: "POST",
          path: `/admin/customers/${updateIds[n % updateIds.length]}`,
          body: JSON.stringify({ first_name: `Bench${nonce}${n}` }),
        }
      },
    },
    {
      name: "create",
      kind: "write",
      request: () => ({
        method: "POST",
        path: "/admin/customers",
        body: JSON.stringify({
          email: `bench-${nonce}-${created++}@create.example`,
          first_name: "Bench",
          last_name: "Create",
          password: "supersecret",
        }),
      }),
    },
    // one customer's history among 5,000,000 entries (history.js): a route core does not have
    {
      name: "history (10,000 entries)",
      kind: "history",
      pluginOnly: true,
      request: (i) => ({ path: `/admin/customers/${heavy[i % heavy.length]}/history` }),
    },
    // storefront sign-ups hashing passwords while the admin list runs (signup-burst.js)
    { name: "signup burst", kind: "burst" },
    // last: its scans of a quarter of the table would leave the caches cold for whatever came next
    ...SEARCHES.filter((s) => s.broad).map(search),
  ]
}

/** Ids of the customers a search means. */
async function truthIds(client, search) {
  const { rows } = await client.query(`SELECT id FROM customer WHERE deleted_at IS NULL AND (${search.truth})`)
  return rows.map((r) => r.id)
}

/** How many customers a search means. */
async function truthCount(client, search) {
  const { rows } = await client.query(`SELECT count(*)::int AS n FROM customer WHERE deleted_at IS NULL AND (${search.truth})`)
  return rows[0].n
}

/** Pools of ids: any customer for retrieve (and their emails, in capitals); customers no search means for update (renaming them changes no result). */
async function idPools(client) {
  const notSearched = SEARCHES.map((s) => `NOT coalesce(${s.truth}, false)`).join(" AND ")
  const pick = async (where) =>
    (await client.query(`SELECT id FROM customer TABLESAMPLE SYSTEM (1) WHERE deleted_at IS NULL AND ${where} LIMIT 1000`)).rows.map(
      (r) => r.id
    )
  const ids = await pick("true")
  const { rows } = await client.query("SELECT upper(email) AS email FROM customer WHERE id = ANY($1) ORDER BY id", [ids])
  return { ids, updateIds: await pick(notSearched), emails: rows.map((r) => r.email) }
}

/** What the database spends on one statement: planning plus execution (EXPLAIN ANALYZE). */
async function explainMs(client, sql, params) {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)
  const plan = rows[0]["QUERY PLAN"][0]
  return plan["Planning Time"] + plan["Execution Time"]
}

let metadataSource
/** TypeORM's metadata for Medusa's models, built once without connecting: what the plugin's loaders read. */
async function medusaMetadata() {
  if (!metadataSource) {
    require("reflect-metadata")
    const { DataSource } = require("typeorm")
    const models = require("@medusajs/medusa/dist/models")
    metadataSource = new DataSource({ type: "postgres", entities: Object.values(models).filter((v) => typeof v === "function") })
    await metadataSource.buildMetadatas()
  }
  return metadataSource
}

/**
 * A manager for the plugin's query code (from `dist/`) that runs each statement on `client`,
 * one at a time, after timing it with EXPLAIN ANALYZE (planning and execution) into `timed.ms`.
 */
async function timingManager(client, timed) {
  let chain = Promise.resolve()
  return {
    connection: await medusaMetadata(),
    query: (sql, values) => {
      const run = chain.then(async () => {
        timed.ms += await explainMs(client, sql, values)
        return (await client.query(sql, values)).rows
      })
      chain = run.catch(() => undefined)
      return run
    },
  }
}

/**
 * The plugin's SQL for one list request, every statement as the plugin issues it
 * (listBodyJson, what CustomerService.listForAdminAsJson runs): page and count,
 * the page's customers as JSON (or their rows) in the page's statement where it
 * can select them, else one statement for them, and one per expanded relation.
 */
async function pluginListSqlMs(client, query) {
  const qs = require("qs")
  const { validator } = require("@medusajs/medusa")
  const { AdminGetCustomersParams } = require(path.join(ROOT, "dist/api/admin/customers/validators"))
  const { toListQuery } = require(path.join(ROOT, "dist/api/admin/customers/query-config"))
  const { listBodyJson } = require(path.join(ROOT, "dist/queries/customer-list"))
  const params = await validator(AdminGetCustomersParams, qs.parse(query), { stopAtFirstError: true })
  const { filters, config } = toListQuery(params)
  const timed = { ms: 0 }
  // unprepared, each statement planned as the first run of a prepared one is
  await listBodyJson(await timingManager(client, timed), filters, config, { fuzzySearch: true, deepOffset: 10_000, preparedStatements: false })
  return timed.ms
}

/**
 * The SQL of `GET /admin/customers/:id` (default relations): the plugin's one statement for the
 * customer and its relations (loadCustomerRows), planned as on its first run (the store's prepared
 * statement plans it once per connection).
 */
async function pluginRetrieveSqlMs(client, id) {
  const { loadCustomerRows } = require(path.join(ROOT, "dist/queries/customer-rows"))
  const timed = { ms: 0 }
  await loadCustomerRows(await timingManager(client, timed), [id], { relations: ["orders", "shipping_addresses"] }, false)
  return timed.ms
}

module.exports = { SEARCHES, scenarios, truthIds, truthCount, idPools, pluginListSqlMs, pluginRetrieveSqlMs }
