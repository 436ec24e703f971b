/**
 * The customer history at scale: HISTORY_ENTRIES entries (five per customer for most of them,
 * and HEAVY_ENTRIES for each of the HEAVY_CUSTOMERS first customers by id), written once in
 * SQL and re-used; the route's statements timed with EXPLAIN ANALYZE for one of the heavy ones.
 */
const { median } = require("./report")

const HISTORY_ENTRIES = 5_000_000
const HEAVY_CUSTOMERS = 10
const HEAVY_ENTRIES = 10_000
const PER_CUSTOMER = 5

/** The customers with the most entries: the first by id. */
async function heavyCustomers(client) {
  const { rows } = await client.query("SELECT id FROM customer WHERE deleted_at IS NULL ORDER BY id LIMIT $1", [HEAVY_CUSTOMERS])
  return rows.map((r) => r.id)
}

/**
 * Writes entries until the table holds HISTORY_ENTRIES: the heavy customers' first, then five for
 * each customer without bench entries yet, as many as are missing. Entry ids are made of the
 * customer's id and the entry's number, so an interrupted run is completed, never doubled.
 */
async function seedHistory(client, log) {
  const count = async () => (await client.query("SELECT count(*)::int AS n FROM customer_history")).rows[0].n
  const before = await count()
  if (before >= HISTORY_ENTRIES) {
    log(`re-using the ${before.toLocaleString("en-US")} history entries`)
    return
  }
  const started = Date.now()
  const heavy = await heavyCustomers(client)
  const entry = (customer, n, at) => `'cuhist_bench_' || ${customer} || '_' || ${n}, ${customer}, CASE WHEN ${n} = 1 THEN 'created' ELSE 'updated' END,
      '{"type":"system","id":null}'::jsonb, jsonb_build_object('first_name', jsonb_build_object('from', 'A' || ${n}, 'to', 'A' || (${n} + 1))),
      NULL, 'bench', ${at}`
  await client.query("SET synchronous_commit = off")
  await client.query(
    `INSERT INTO customer_history (id, customer_id, action, actor, changes, groups, request_id, created_at)
     SELECT ${entry("c.id", "g", "c.created_at + g * interval '1 minute'")}
       FROM (SELECT id, created_at FROM customer WHERE id = ANY($1)) c, generate_series(1, ${HEAVY_ENTRIES}) g
     ON CONFLICT (id) DO NOTHING`,
    [heavy]
  )
  const spread = Math.ceil(Math.max(0, HISTORY_ENTRIES - (await count())) / PER_CUSTOMER)
  await client.query(
    `INSERT INTO customer_history (id, customer_id, action, actor, changes, groups, request_id, created_at)
     SELECT ${entry("c.id", "g", "c.created_at + g * interval '1 hour'")}
       FROM (SELECT id, created_at FROM customer c WHERE deleted_at IS NULL AND NOT (id = ANY($1))
               AND NOT EXISTS (SELECT 1 FROM customer_history h WHERE h.customer_id = c.id AND h.request_id = 'bench')
              ORDER BY id LIMIT $2) c,
            generate_series(1, ${PER_CUSTOMER}) g
     ON CONFLICT (id) DO NOTHING`,
    [heavy, spread]
  )
  await client.query("VACUUM (ANALYZE) customer_history")
  log(`wrote ${((await count()) - before).toLocaleString("en-US")} history entries in ${((Date.now() - started) / 1000).toFixed(0)} s`)
}

/** The statements of GET /admin/customers/:id/history (default page): median and p95 of their summed EXPLAIN ANALYZE time. */
async function historySqlMs(client, customerId, runs = 20) {
  const statements = [
    ["SELECT 1 FROM customer WHERE id = $1 AND deleted_at IS NULL LIMIT 1", [customerId]],
    ["SELECT * FROM customer_history WHERE customer_id = $1 ORDER BY created_at DESC, id DESC LIMIT 20 OFFSET 0", [customerId]],
    ["SELECT count(*) FROM customer_history WHERE customer_id = $1", [customerId]],
  ]
  const totals = []
  for (let i = 0; i < runs; i++) {
    let ms = 0
    for (const [sql, params] of statements) {
      const { rows } = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params)
      const plan = rows[0]["QUERY PLAN"][0]
      ms += plan["Planning Time"] + plan["Execution Time"]
    }
    totals.push(ms)
  }
  const sorted = [...totals].sort((a, b) => a - b)
  return { median: median(totals), p95: sorted[Math.min(sorted.length - 1, Math.ceil(sorted.length * 0.95) - 1)] }
}

module.exports = { seedHistory, heavyCustomers, historySqlMs, HEAVY_ENTRIES, HISTORY_ENTRIES }
