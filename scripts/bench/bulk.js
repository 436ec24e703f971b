/**
 * `npm run bench:bulk [-- --repeat 3]`
 *
 * Bulk statements into `customer` (core's table with the plugin's triggers)
 * against the same statements into a plain copy of it
 * (`CREATE TABLE … (LIKE customer INCLUDING ALL)`: the same columns and
 * indexes, no trigger, no foreign key pointing at it), in one run on a fresh
 * database: an INSERT … SELECT of 20,000 and of 80,000 customers, a bulk
 * `UPDATE … SET has_account` of them and a DELETE of them. The plain copy is
 * given the search texts precomputed, so both maintain the same indexes. A
 * third column times `customer` with the plugin's triggers disabled (core's
 * table as it is: a DELETE checks the foreign keys of the tables that refer to
 * customers, which the plain copy has none of). Prints the median of
 * `--repeat` runs, the ratios of `customer` to the plain copy and to itself
 * without the plugin's triggers, and how the time grows from
 * 20,000 to 80,000 rows (4 × the rows: ideally 4 × the time). Checks that the
 * counters equal a count of the table after each statement.
 */
require("../lib/env")
const { Client } = require("pg")
const { benchDatabase } = require("../lib/database")
const { build, migrate } = require("../lib/store")
const { median } = require("./report")

const SIZES = [20_000, 80_000]
const COLUMNS = ["id", "email", "first_name", "last_name", "phone", "has_account"]

function args() {
  const argv = process.argv.slice(2)
  const at = argv.indexOf("--repeat")
  return { repeat: at >= 0 ? Number(argv[at + 1]) : 3 }
}

/** The plugin's triggers on `customer` (what the "no plugin triggers" column disables). */
async function pluginTriggers(client) {
  const { rows } = await client.query(
    "SELECT tgname FROM pg_trigger WHERE tgrelid = 'customer'::regclass AND NOT tgisinternal AND tgname LIKE 'customers\\_%' ORDER BY tgname"
  )
  return rows.map((r) => r.tgname)
}

async function timed(client, sql) {
  const started = process.hrtime.bigint()
  await client.query(sql)
  return Number(process.hrtime.bigint() - started) / 1e6
}

/** The three statements against `table` for `size` rows of bulk_source, `after` run after each; milliseconds of each. */
async function statements(client, table, size, { searchTexts }, after) {
  const columns = searchTexts ? [...COLUMNS, "search_name", "search_email", "search_last_name", "search_phone"] : COLUMNS
  const sql = {
    insert: `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${columns.join(", ")} FROM bulk_source WHERE n <= ${size}`,
    update: `UPDATE ${table} SET has_account = NOT has_account WHERE id LIKE 'cus_bulk_%'`,
    delete: `DELETE FROM ${table} WHERE id LIKE 'cus_bulk_%'`,
  }
  const ms = {}
  for (const [statement, text] of Object.entries(sql)) {
    ms[statement] = await timed(client, text)
    await after()
  }
  return ms
}

async function countersExact(client) {
  const { rows } = await client.query(
    `SELECT (SELECT array_agg(has_account || ':' || n ORDER BY has_account) FROM (SELECT has_account, sum(n) AS n FROM customer_count GROUP BY 1 HAVING sum(n) <> 0) k)
            IS NOT DISTINCT FROM
            (SELECT array_agg(has_account || ':' || n ORDER BY has_account) FROM (SELECT has_account, count(*) AS n FROM customer WHERE deleted_at IS NULL GROUP BY 1) c) AS exact`
  )
  return rows[0].exact
}

async function main() {
  const { repeat } = args()
  const log = (msg) => console.log(`[bench:bulk] ${msg}`)
  const db = await benchDatabase("medusa_bench_bulk", { fresh: true, log })
  const client = new Client({ connectionString: db.url })
  try {
    log("building the plugin and running migrations on a fresh database")
    await build({ quiet: true })
    await migrate(db.url, { quiet: true })
    await client.connect()
    await client.query(
      `CREATE TABLE bulk_source AS
       SELECT n, 'cus_bulk_' || lpad(n::text, 6, '0') AS id, 'bulk' || n || '@example.com' AS email,
              'First' || (n % 997) AS first_name, 'Last' || (n % 4999) AS last_name,
              CASE WHEN n % 10 < 7 THEN '+1 555 ' || lpad((n % 10000000)::text, 7, '0') END AS phone, n % 5 < 3 AS has_account
         FROM generate_series(1, ${Math.max(...SIZES)}) n`
    )
    await client.query(
      `ALTER TABLE bulk_source ADD COLUMN search_name text, ADD COLUMN search_email text, ADD COLUMN search_last_name text, ADD COLUMN search_phone text`
    )
    await client.query(
      `UPDATE bulk_source SET search_name = customers_name_doc(first_name, last_name), search_email = customers_norm(email),
              search_last_name = customers_norm(last_name), search_phone = customers_digits(phone)`
    )
    await client.query("CREATE TABLE customer_plain (LIKE customer INCLUDING ALL)")
    await client.query("VACUUM ANALYZE bulk_source")
    const triggers = await pluginTriggers(client)
    log(`plugin triggers on customer: ${triggers.join(", ")}`)

    const targets = [
      { name: "plain", table: "customer_plain", searchTexts: true },
      { name: "customer", table: "customer", searchTexts: false },
      { name: "no plugin triggers", table: "customer", searchTexts: false, disable: true },
    ]
    const runs = {} // runs[size][target][statement] = ms[]
    let exact = true
    for (let r = 0; r < repeat; r++) {
      for (const size of SIZES) {
        for (const target of targets) {
          if (target.disable) for (const t of triggers) await client.query(`ALTER TABLE customer DISABLE TRIGGER ${t}`)
          try {
            const counted = !target.disable && target.table === "customer"
            const ms = await statements(client, target.table, size, target, async () => {
              if (counted) exact = exact && (await countersExact(client))
            })
            for (const [statement, value] of Object.entries(ms)) ((((runs[size] ??= {})[target.name] ??= {})[statement] ??= [])).push(value)
          } finally {
            if (target.disable) for (const t of triggers) await client.query(`ALTER TABLE customer ENABLE TRIGGER ${t}`)
          }
          await client.query(`VACUUM ${target.table}`)
        }
      }
    }

    const line = (cells) => cells.map((c, i) => (i === 0 ? String(c).padEnd(18) : String(c).padStart(13))).join(" ")
    console.log()
    console.log(`median of ${repeat} runs, ms; customer / plain copy, and customer / customer without the plugin's triggers`)
    console.log(line(["statement", "rows", "plain copy", "customer", "/ plain", "no plugin trg", "/ no plugin"]))
    for (const statement of ["insert", "update", "delete"]) {
      for (const size of SIZES) {
        const m = (name) => median(runs[size][name][statement])
        const [plain, customer, core] = [m("plain"), m("customer"), m("no plugin triggers")]
        const label = { insert: "INSERT … SELECT", update: "UPDATE has_account", delete: "DELETE" }[statement]
        console.log(line([label, size, plain.toFixed(0), customer.toFixed(0), `${(customer / plain).toFixed(2)}×`, core.toFixed(0), `${(customer / core).toFixed(2)}×`]))
      }
    }
    console.log()
    console.log(`growth from ${SIZES[0]} to ${SIZES[1]} rows (${SIZES[1] / SIZES[0]}× the rows)`)
    for (const statement of ["insert", "update", "delete"]) {
      const growth = (name) => (median(runs[SIZES[1]][name][statement]) / median(runs[SIZES[0]][name][statement])).toFixed(2)
      console.log(`  ${statement.padEnd(7)} plain copy ${growth("plain")}×, customer ${growth("customer")}×`)
    }
    console.log(`counters equal to a count of the table after every statement: ${exact ? "yes" : "NO"}`)
    if (!exact) process.exitCode = 1
  } finally {
    await client.end().catch(() => undefined)
    await db.stop()
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err)
    process.exit(1)
  })
}
