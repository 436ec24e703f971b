/**
 * `npm run seed -- --customers N [--force]` (and the benchmark): N realistic
 * customers in DATABASE_URL's database, generated in SQL in batches with a
 * progress bar. Re-used between runs (marker table `bench_seed`).
 *
 * Deterministic: every value derives from the row number by hashing. About 60 %
 * have accounts, 70 % a phone in one of five formats, 30 % a billing address,
 * 20 % a group (5 groups, a few in two), created_at over three years. Planted
 * customers (full names, accented names, an email domain, one phone in three
 * formats) give the searches known targets; the benchmark counts its expected
 * matches by plain SQL, planted or not.
 */
require("../lib/env")
const { Client } = require("pg")
const { FIRST_NAMES, LAST_NAMES, DOMAINS } = require("./names")
const { ensureIndexes, dropIndexes } = require("./indexes")

const BATCH = 100_000
const PASSWORD_HASH = "c2NyeXB0AA8AAAAIAAAAAbK1+3o7v1S0kVtKmRcBE1C1l+GpSSHb6oZJXq2bDfP7V9nQ9yFq8bE2m2m6w4B8xkq0z2l1s8hYyqj4pVSc0tJ2tYQ6zj2QYjA3nMZr8Pdi"
const ACCENTS = ["àáâäãåçèéêëìíîïñòóôöõøùúûüýÿßæœłśąęźżńćřšžčďťňůÀÁÂÄÃÅÇÈÉÊËÌÍÎÏÑÒÓÔÖÕØÙÚÛÜÝŁŚŻŹĆŃŘŠŽČÆŒÞþÐð'", "aaaaaaceeeeiiiinooooooouuuuyysaolsaezzncrszcdtnuAAAAAACEEEEIIIINOOOOOOUUUUYLSZZCNRSZCAOTtDd"]

/** Customers the searches aim at, in addition to the random ones. */
const PLANTED = [
  { label: "full name", count: 12, first_name: "Caterina", last_name: "Yost" },
  { label: "accented full name", count: 8, first_name: "Zoë", last_name: "Müller-García" },
  { label: "email fragment", count: 25, emailDomain: "yost-family.example" },
  { label: "phone", count: 6, phones: ["+1 (555) 867-5309", "555.867.5309", "5558675309"] },
]

const plain = (sql) => `lower(translate(${sql}, '${ACCENTS[0].replace(/'/g, "''")}', '${ACCENTS[1]}'))`

/** One batch of customers [from, to], with their billing addresses and groups. */
function batchSql() {
  const row = `
    SELECT i,
           'cus_' || upper(substr(md5('bench' || i), 1, 26)) AS id,
           abs(hashtext('a' || i)) AS h1, abs(hashtext('b' || i)) AS h2, abs(hashtext('c' || i)) AS h3,
           $3::text[] AS fns, $4::text[] AS lns, $5::text[] AS doms
      FROM generate_series($1::int, $2::int) AS i`
  const named = `
    SELECT r.*, fns[1 + h1 % array_length(fns, 1)] AS fn, lns[1 + h2 % array_length(lns, 1)] AS ln,
           lpad((i::bigint * 7919 % 10000000)::text, 7, '0') AS d, (200 + h1 % 799)::text AS area
      FROM (${row}) r`
  return `
    WITH src AS (${named}),
    addresses AS (
      INSERT INTO address (id, first_name, last_name, address_1, city, country_code, postal_code, phone)
      SELECT 'addr_' || substr(id, 5), fn, ln, (1 + h3 % 999) || ' Main Street', 'City ' || (h1 % 500),
             (ARRAY['us','de','gb','fr','es','it','se','dk'])[1 + h2 % 8], lpad((h3 % 99999)::text, 5, '0'), NULL
        FROM src WHERE h3 % 10 < 3
      RETURNING id
    ),
    customers AS (
      INSERT INTO customer (id, email, first_name, last_name, billing_address_id, phone, has_account, password_hash, metadata, created_at, updated_at)
      SELECT id,
             ${plain("fn")} || (ARRAY['.', '_', ''])[1 + h3 % 3] || ${plain("ln")} || i || '@' || doms[1 + h2 % array_length(doms, 1)],
             fn, ln,
             CASE WHEN h3 % 10 < 3 THEN 'addr_' || substr(id, 5) END,
             CASE WHEN h1 % 10 < 7 THEN (ARRAY[
               '+1 (' || area || ') ' || substr(d, 1, 3) || '-' || substr(d, 4, 4),
               area || '.' || substr(d, 1, 3) || '.' || substr(d, 4, 4),
               '+44 20 ' || substr(d, 1, 4) || ' ' || substr(d, 5, 3),
               '0049 30 ' || d,
               area || d])[1 + h2 % 5] END,
             h2 % 10 < 6,
             CASE WHEN h2 % 10 < 6 THEN $6 END,
             CASE WHEN h3 % 20 = 0 THEN jsonb_build_object('source', 'import', 'tier', h1 % 3) END,
             now() - interval '3 years' + (h1 % 94608000) * interval '1 second',
             now() - interval '3 years' + (h1 % 94608000 + h2 % 86400) * interval '1 second'
        FROM src
      RETURNING id
    )
    INSERT INTO customer_group_customers (customer_group_id, customer_id)
    SELECT 'cgrp_bench_' || (1 + h1 % 5), id FROM src WHERE h2 % 100 < 20
    UNION ALL
    SELECT 'cgrp_bench_' || (1 + (h1 + 1) % 5), id FROM src WHERE h2 % 100 < 3`
}

async function plant(client) {
  let n = 0
  for (const p of PLANTED) {
    for (let k = 0; k < p.count; k++, n++) {
      const first = p.first_name ?? FIRST_NAMES[(n * 37) % FIRST_NAMES.length]
      const last = p.last_name ?? LAST_NAMES[(n * 101) % LAST_NAMES.length]
      const email = p.emailDomain ? `member${k}@${p.emailDomain}` : `planted${n}@example.net`
      await client.query(
        `INSERT INTO customer (id, email, first_name, last_name, phone, has_account, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $6, now() - $7 * interval '1 day', now() - $7 * interval '1 day')`,
        [`cus_PLANTED${String(n).padStart(22, "0")}`, email, first, last, p.phones?.[k % p.phones.length] ?? null, k % 2 === 0, (n * 13) % 1000]
      )
    }
  }
  return n
}

function progress(done, total, started) {
  const width = 30
  const filled = Math.round((done / total) * width)
  const line = `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} customers  ${((Date.now() - started) / 1000).toFixed(1)} s`
  if (process.stdout.isTTY) process.stdout.write(`\r${line}${done === total ? "\n" : ""}`)
  else console.log(line)
}

async function seedCustomers({ url, customers = 1_000_000, log = console.log, force = false }) {
  const client = new Client({ connectionString: url })
  await client.connect()
  const started = Date.now()
  try {
    await client.query("CREATE TABLE IF NOT EXISTS bench_seed (customers int NOT NULL, seeded_at timestamptz NOT NULL DEFAULT now())")
    const { rows } = await client.query("SELECT customers FROM bench_seed ORDER BY seeded_at DESC LIMIT 1")
    if (!force && rows[0]?.customers === customers) {
      log(`re-using the ${customers.toLocaleString("en-US")} seeded customers`)
      return { seeded: false, customers, seconds: 0, indexes: await ensureIndexes(client, log) }
    }
    log(`seeding ${customers.toLocaleString("en-US")} customers`)
    await client.query("SET synchronous_commit = off")
    await client.query("TRUNCATE customer_group_customers, customer_group, address, customer, bench_seed CASCADE")
    await dropIndexes(client) // built once at the end: far faster than maintained per row
    await client.query("ALTER TABLE customer DISABLE TRIGGER USER") // counters rebuilt at the end
    await client.query(
      `INSERT INTO customer_group (id, name) SELECT 'cgrp_bench_' || g, (ARRAY['VIP','Wholesale','Newsletter','Staff','Returning'])[g] FROM generate_series(1, 5) g`
    )
    const random = customers - PLANTED.reduce((sum, p) => sum + p.count, 0)
    for (let from = 1; from <= random; from += BATCH) {
      const to = Math.min(random, from + BATCH - 1)
      await client.query(batchSql(), [from, to, FIRST_NAMES, LAST_NAMES, DOMAINS, PASSWORD_HASH])
      progress(to, customers, started)
    }
    await plant(client)
    progress(customers, customers, started)
    await client.query("ALTER TABLE customer ENABLE TRIGGER USER")
    await client.query("DELETE FROM customer_count")
    await client.query(
      "INSERT INTO customer_count (slot, has_account, n) SELECT 0, has_account, count(*) FROM customer WHERE deleted_at IS NULL GROUP BY has_account"
    )
    const seedSeconds = (Date.now() - started) / 1000
    const indexes = await ensureIndexes(client, log)
    for (const table of ["customer", "address", "customer_group_customers"]) await client.query(`VACUUM (ANALYZE) ${table}`)
    await client.query("INSERT INTO bench_seed (customers) VALUES ($1)", [customers])
    log(`seeded in ${seedSeconds.toFixed(1)} s, indexes and VACUUM (ANALYZE) done at ${((Date.now() - started) / 1000).toFixed(1)} s`)
    return { seeded: true, customers, seconds: seedSeconds, indexes }
  } finally {
    await client.end()
  }
}

module.exports = { seedCustomers, PLANTED }

if (require.main === module) {
  const argv = process.argv.slice(2)
  const at = argv.indexOf("--customers")
  const customers = Number(at >= 0 ? argv[at + 1] : 1_000_000)
  if (!process.env.DATABASE_URL) {
    console.error("DATABASE_URL is required: the database to seed (with Medusa's and the plugin's migrations run)")
    process.exit(2)
  }
  if (!Number.isInteger(customers) || customers < 100) {
    console.error("--customers must be an integer ≥ 100")
    process.exit(2)
  }
  seedCustomers({ url: process.env.DATABASE_URL, customers, force: argv.includes("--force") }).then(
    () => process.exit(0),
    (err) => {
      console.error(err)
      process.exit(1)
    }
  )
}
