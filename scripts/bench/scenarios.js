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
]

function scenarios({ customers, ids, updateIds, groupId, nonce }) {
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

/** Pools of ids: any customer for retrieve; customers no search means for update (renaming them changes no result). */
async function idPools(client) {
  const notSearched = SEARCHES.map((s) => `NOT coalesce(${s.truth}, false)`).join(" AND ")
  const pick = async (where) =>
    (await client.query(`SELECT id FROM customer TABLESAMPLE SYSTEM (1) WHERE deleted_at IS NULL AND ${where} LIMIT 1000`)).rows.map(
      (r) => r.id
    )
  return { ids: await pick("true"), updateIds: await pick(notSearched) }
}

/** What the database spends on one statement: planning plus execution (EXPLAIN ANALYZE). */
async function explainMs(client, sql, params) {
  const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)
  const plan = rows[0]["QUERY PLAN"][0]
  return plan["Planning Time"] + plan["Execution Time"]
}

/**
 * The plugin's SQL for one list request, each statement timed with EXPLAIN
 * ANALYZE (planning and execution): the id/count statements exactly as the plugin builds them (from
 * `dist/`), then the row load by id with the requested relations.
 */
async function pluginListSqlMs(client, query) {
  require("reflect-metadata")
  const qs = require("qs")
  const { validator } = require("@medusajs/medusa")
  const { AdminGetCustomersParams } = require(path.join(ROOT, "dist/api/admin/customers/validators"))
  const { toListQuery } = require(path.join(ROOT, "dist/api/admin/customers/query-config"))
  const { findCustomerIds } = require(path.join(ROOT, "dist/queries/customer-list"))
  const params = await validator(AdminGetCustomersParams, qs.parse(query), { stopAtFirstError: true })
  const { filters, config } = toListQuery(params)
  let total = 0
  let chain = Promise.resolve()
  const manager = {
    query: (sql, values) => {
      const run = chain.then(async () => {
        if (!/^\s*(SELECT|WITH)/i.test(sql)) return (await client.query(sql, values)).rows // SET LOCAL …
        total += await explainMs(client, sql, values)
        return (await client.query(sql, values)).rows
      })
      chain = run.catch(() => undefined)
      return run
    },
    transaction: async (work) => {
      await client.query("BEGIN")
      try {
        const result = await work(manager)
        await client.query("COMMIT")
        return result
      } catch (err) {
        await client.query("ROLLBACK")
        throw err
      }
    },
  }
  const { ids } = await findCustomerIds(manager, filters, config)
  const plain = config.relations.length === 0 && !config.select
  total += plain ? await explainMs(client, JSON_ROWS_SQL, [ids]) : await rowLoadMs(client, ids, config.relations)
  return total
}

/** A page without expand or fields: the statement src/queries/customer-json.ts builds for Customer's columns. */
const stamp = (column) => `to_char(c.${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`
const inRange = (column) => `(c.${column} IS NULL OR c.${column} BETWEEN '0001-01-01 00:00:00+00' AND '9999-12-31 23:59:59.999999+00')`
const JSON_ROWS_SQL = `SELECT c.id, row_to_json(r)::text AS json, ${["created_at", "updated_at", "deleted_at"].map(inRange).join(" AND ")} AS exact,
    c.metadata AS extra
  FROM customer c CROSS JOIN LATERAL (SELECT c.id, ${stamp("created_at")} AS created_at, ${stamp("updated_at")} AS updated_at,
    ${stamp("deleted_at")} AS deleted_at, c.email, c.first_name, c.last_name, c.billing_address_id, c.phone, c.has_account) r
  WHERE c.id = ANY($1) AND c.deleted_at IS NULL`

/** The row load by id: the statements of src/queries/customer-rows.ts (all columns instead of the public ones). */
async function rowLoadMs(client, ids, relations) {
  let ms = await explainMs(client, "SELECT * FROM customer WHERE id = ANY($1) AND deleted_at IS NULL", [ids])
  const { rows } = await client.query("SELECT billing_address_id FROM customer WHERE id = ANY($1) AND billing_address_id IS NOT NULL", [ids])
  const relationSql = {
    billing_address: ["SELECT * FROM address WHERE id = ANY($1) AND deleted_at IS NULL", [rows.map((r) => r.billing_address_id)]],
    shipping_addresses: ["SELECT customer_id, * FROM address WHERE customer_id = ANY($1) AND deleted_at IS NULL ORDER BY id", [ids]],
    orders: ['SELECT customer_id, * FROM "order" WHERE customer_id = ANY($1) ORDER BY id', [ids]],
    groups: [
      "SELECT cgc.customer_id, g.* FROM customer_group_customers cgc JOIN customer_group g ON g.id = cgc.customer_group_id WHERE cgc.customer_id = ANY($1) AND g.deleted_at IS NULL ORDER BY g.id",
      [ids],
    ],
  }
  for (const relation of relations) {
    const [sql, params] = relationSql[relation]
    // the plugin skips the billing address statement when no customer on the page has one
    if (relation !== "billing_address" || params[0].length) ms += await explainMs(client, sql, params)
  }
  return ms
}

/** The plugin's SQL for `GET /admin/customers/:id` (default relations: orders, shipping addresses). */
function pluginRetrieveSqlMs(client, id) {
  return rowLoadMs(client, [id], ["orders", "shipping_addresses"])
}

module.exports = { SEARCHES, scenarios, truthIds, truthCount, idPools, pluginListSqlMs, pluginRetrieveSqlMs }
