/**
 * `npm run seed -- --customers N [--force]` (and the benchmark): N realistic
 * customers in DATABASE_URL's database (Medusa 1.20's schema plus this plugin's
 * migrations), generated set-wise in SQL, 100,000 rows per statement, with a
 * progress bar. Re-used between runs: the marker table `bench_seed` says what
 * is there; the same count (and generator) is not seeded again unless `force`.
 *
 * Deterministic: every value derives from the row number by hashing
 * (`hashtextextended(i, seed)`), nothing from random(). About 60 % have an
 * account (with a real scrypt hash of "supersecret"), 70 % a phone in one of
 * five formats, 30 % a billing address, 20 % a group (5 groups, 3 % in two),
 * 5 % metadata, a few guests no name (as checkout creates them); created_at
 * spread over the last three years, ids ULID-like as Medusa's (`cus_01H…`).
 *
 * PLANTED customers (a surname, a full name, an accented full name, an email
 * domain, one phone in three formats) are the last rows of the N, made by the
 * same statement with their names, domain or phone overridden; the random
 * names can produce the same values too. The benchmark counts its expected
 * matches by plain SQL, planted or not.
 *
 * The count triggers stay correct: they are disabled during the load and the
 * `customer_count` table is rebuilt exactly from the rows before they are
 * enabled again, all in the seeding transaction (a failure rolls everything
 * back, triggers included). The seeded tables' indexes that back no
 * constraint (the plugin's trigram indexes, the email unique indexes, …) are
 * dropped for the load and built after it: far faster than maintaining them
 * row by row. 1,000,000 customers: about 50 s on 2 cores.
 */
require("../lib/env")
const fs = require("fs")
const path = require("path")
const { Client } = require("pg")
const { ROOT } = require("../lib/env")
const { FIRST_NAMES: BASE_FIRST_NAMES, LAST_NAMES } = require("./names")
const { ensureIndexes, dropIndexes } = require("./indexes")

/** Rows per INSERT statement. */
const BATCH = 100_000
/** Bumped when the generated data changes: a marker of another generator is not re-used. */
const GENERATOR = "seed-v3"
/** scrypt-kdf (logN 15, r 8, p 1) of "supersecret", base64 as Medusa stores it: seeded accounts can log in. */
const PASSWORD_HASH =
  "c2NyeXB0AA8AAAAIAAAAAaIZIlG4UYCQXXwrOqADU/ixuQbyDGP8CZz0QRtEkJP8mYmW2x0mvj/IFXgCjppi3cIchpggsFZzwpvrjJHWcBxBUjhJ3KeLbBXQ30DfPS6z"

/**
 * Customers the searches aim at: the last rows of the N, seeded by the same
 * statement as the others (random account, phone, address, groups and
 * created_at) with these values in place of the random ones. `null` first or
 * last name: a random one. `emailDomain`: the email's domain. `phones`: the
 * k-th planted customer of the entry gets `phones[k % phones.length]`.
 */
const PLANTED = [
  { label: "surname", count: 40, first_name: null, last_name: "Yost" },
  { label: "full name", count: 12, first_name: "Caterina", last_name: "Yost" },
  { label: "accented full name", count: 8, first_name: "Zoë", last_name: "Müller-García" },
  { label: "email fragment", count: 25, first_name: null, last_name: null, emailDomain: "yost-family.example" },
  { label: "phone", count: 6, first_name: null, last_name: null, phones: ["+1 (555) 867-5309", "555.867.5309", "5558675309"] },
]
const PLANTED_TOTAL = PLANTED.reduce((sum, p) => sum + p.count, 0)

/** First names: names.js's few hundred, plus compound ones (a space or hyphen inside the first name). */
const FIRST_NAMES = [
  ...new Set([
    ...BASE_FIRST_NAMES.filter((n) => n !== "Mühlberg"), // a surname in the list
    "Ana María", "María José", "José Luis", "Juan Carlos", "Jean-Luc", "Marie-Claire", "Anne-Sophie",
    "Hans-Peter", "Karl-Heinz", "Lars-Erik", "Bjørn", "Éléonore", "Ólafur", "Małgorzata", "Wojciech",
    "Agnieszka", "Zofia", "Jiří", "Tomáš", "Kateřina", "Caterina", "Zoë",
  ]),
]

/** Email domains with weights (slots out of 100); company domains name the address's company. */
const DOMAINS = [
  ["gmail.com", 27], ["yahoo.com", 8], ["outlook.com", 10], ["hotmail.com", 6], ["icloud.com", 9],
  ["proton.me", 4], ["gmx.de", 6], ["web.de", 4], ["orange.fr", 3], ["telefonica.net", 2], ["live.co.uk", 2],
  ["acme-corp.com", 4, "Acme Corp"], ["globex.com", 3, "Globex Corporation"], ["initech.io", 3, "Initech"],
  ["umbrella-group.co.uk", 2, "Umbrella Group Ltd"], ["nordwind-logistik.de", 3, "Nordwind Logistik GmbH"],
  ["boulangerie-martin.fr", 1, "Boulangerie Martin SARL"], ["ferreteria-lopez.es", 1, "Ferretería López S.L."],
  ["hooli.xyz", 2, "Hooli"],
]

/**
 * Billing address places: country weight (slots out of 100), cities with their
 * postal prefix, streets, and where the house number goes.
 */
const COUNTRIES = [
  { cc: "us", weight: 30, number: "before", cities: [["New York", "100"], ["Chicago", "606"], ["Austin", "787"], ["Seattle", "981"], ["Boston", "021"], ["San Francisco", "941"]],
    streets: ["Main Street", "Oak Avenue", "Maple Drive", "Broadway", "Elm Street", "Washington Boulevard", "Sunset Road"] },
  { cc: "de", weight: 20, number: "after", cities: [["Berlin", "10"], ["München", "80"], ["Hamburg", "20"], ["Köln", "50"], ["Frankfurt am Main", "60"], ["Leipzig", "04"]],
    streets: ["Hauptstraße", "Bahnhofstraße", "Schillerstraße", "Gartenweg", "Lindenallee", "Goethestraße", "Am Mühlbach"] },
  { cc: "gb", weight: 15, number: "before", cities: [["London", "SW1A"], ["London", "EC2V"], ["London", "N1"], ["Manchester", "M1"], ["Birmingham", "B1"], ["Leeds", "LS1"], ["Edinburgh", "EH1"], ["Glasgow", "G2"]],
    streets: ["High Street", "Station Road", "Church Lane", "Victoria Road", "Park Avenue", "King's Road"] },
  { cc: "fr", weight: 12, number: "before", cities: [["Paris", "750"], ["Lyon", "690"], ["Marseille", "130"], ["Toulouse", "310"], ["Bordeaux", "330"], ["Lille", "590"]],
    streets: ["rue Victor Hugo", "boulevard Voltaire", "place de la République", "rue du Général Leclerc", "avenue Jean Jaurès", "rue de l'Église"] },
  { cc: "es", weight: 8, number: "comma", cities: [["Madrid", "280"], ["Barcelona", "080"], ["Valencia", "460"], ["Sevilla", "410"], ["Málaga", "290"]],
    streets: ["Calle Mayor", "Avenida de la Constitución", "Calle de Alcalá", "Paseo de Gracia", "Calle Real"] },
  { cc: "it", weight: 5, number: "after", cities: [["Roma", "001"], ["Milano", "201"], ["Torino", "101"], ["Napoli", "801"]],
    streets: ["Via Roma", "Via Garibaldi", "Corso Vittorio Emanuele II", "Via Dante"] },
  { cc: "nl", weight: 4, number: "after", cities: [["Amsterdam", "10"], ["Rotterdam", "30"], ["Utrecht", "35"]],
    streets: ["Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg"] },
  { cc: "se", weight: 3, number: "after", cities: [["Stockholm", "11"], ["Göteborg", "41"], ["Malmö", "21"]],
    streets: ["Storgatan", "Drottninggatan", "Kungsgatan", "Skolgatan"] },
  { cc: "dk", weight: 2, number: "after", cities: [["København", "1"], ["Aarhus", "8"], ["Odense", "5"]],
    streets: ["Nørregade", "Vestergade", "Østergade", "Algade"] },
  { cc: "no", weight: 1, number: "after", cities: [["Oslo", "0"], ["Bergen", "5"]], streets: ["Karl Johans gate", "Storgata", "Kirkeveien"] },
]

/** 5 groups; a member's first group by weight (slots out of 20). */
const GROUPS = [
  { id: "cgrp_bench_1", name: "VIP", slots: 3 },
  { id: "cgrp_bench_2", name: "Wholesale", slots: 2 },
  { id: "cgrp_bench_3", name: "Newsletter", slots: 8 },
  { id: "cgrp_bench_4", name: "Staff", slots: 2 },
  { id: "cgrp_bench_5", name: "Returning", slots: 5 },
]

const SPECIAL_LETTERS = { ß: "ss", ø: "o", Ø: "O", ł: "l", Ł: "L", æ: "ae", Æ: "Ae", œ: "oe", Œ: "Oe", þ: "th", Þ: "Th", ð: "d", Ð: "D", đ: "d" }

/** The plain ASCII form of a name for emails: `Zoë` → `zoe`, `Ana María` → `anamaria`, `O'Brien` → `obrien`. */
function emailPart(name) {
  const plain = name
    .replace(/[ßøØłŁæÆœŒþÞðÐđ]/g, (c) => SPECIAL_LETTERS[c])
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z-]/g, "")
  if (!/^[a-z](?:[a-z-]*[a-z])?$/.test(plain)) throw new Error(`no email form for the name ${JSON.stringify(name)}`)
  return plain
}

/**
 * The 10 Crockford base32 characters of a ULID's time part, from epoch milliseconds.
 * Ids use a fixed three years (from 2023-01-01) at the same fraction as created_at:
 * they sort as created_at does, and are the same whenever the seed runs.
 */
const ID_EPOCH_MS = Date.UTC(2023, 0, 1)
const ID_SPAN_MS = 3 * 365 * 86400 * 1000
const idMsSql = (fraction) => `(${ID_EPOCH_MS}::bigint + floor(${fraction} * ${ID_SPAN_MS})::bigint)`
function ulidTimeSql(ms) {
  const alphabet = "'0123456789ABCDEFGHJKMNPQRSTVWXYZ'"
  return Array.from({ length: 10 }, (_, k) => `substr(${alphabet}, ((${ms} >> ${5 * (9 - k)}) & 31)::int + 1, 1)`).join(" || ")
}

/** Temporary lookup tables of the name material (joined by index: faster than subscripting big arrays per row). */
async function createLookups(client) {
  await client.query(
    `CREATE TEMP TABLE seed_first ON COMMIT DROP AS
       SELECT (n - 1)::int AS idx, name, plain FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(name, plain, n)`,
    [FIRST_NAMES, FIRST_NAMES.map(emailPart)]
  )
  await client.query(
    `CREATE TEMP TABLE seed_last ON COMMIT DROP AS
       SELECT (n - 1)::int AS idx, name, plain FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(name, plain, n)`,
    [LAST_NAMES, LAST_NAMES.map(emailPart)]
  )
  const domainSlots = DOMAINS.flatMap(([domain, weight, company]) => Array.from({ length: weight }, () => [domain, company ?? null]))
  await client.query(
    `CREATE TEMP TABLE seed_domain ON COMMIT DROP AS
       SELECT (n - 1)::int AS idx, domain, company FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS t(domain, company, n)`,
    [domainSlots.map((d) => d[0]), domainSlots.map((d) => d[1])]
  )
  const places = []
  for (const country of COUNTRIES) {
    for (let s = 0; s < country.weight * 10; s++) {
      const [city, postal] = country.cities[s % country.cities.length]
      const street = country.streets[Math.floor(s / country.cities.length) % country.streets.length]
      places.push([country.cc, city, postal, street, country.number])
    }
  }
  await client.query(
    `CREATE TEMP TABLE seed_place ON COMMIT DROP AS
       SELECT (n - 1)::int AS idx, cc, city, postal, street, number
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[]) WITH ORDINALITY AS t(cc, city, postal, street, number, n)`,
    [0, 1, 2, 3, 4].map((k) => places.map((p) => p[k]))
  )
  const planted = PLANTED.flatMap((p) =>
    Array.from({ length: p.count }, (_, k) => [
      p.first_name ?? null,
      p.first_name ? emailPart(p.first_name) : null,
      p.last_name ?? null,
      p.last_name ? emailPart(p.last_name) : null,
      p.emailDomain ?? null,
      p.phones ? p.phones[k % p.phones.length] : null,
    ])
  )
  await client.query(
    `CREATE TEMP TABLE seed_planted ON COMMIT DROP AS
       SELECT n::int AS p, first_name, first_plain, last_name, last_plain, domain, phone
         FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[])
              WITH ORDINALITY AS t(first_name, first_plain, last_name, last_plain, domain, phone, n)`,
    [0, 1, 2, 3, 4, 5].map((k) => planted.map((p) => p[k]))
  )
  for (const table of ["seed_first", "seed_last", "seed_domain", "seed_place", "seed_planted"]) {
    await client.query(`ANALYZE ${table}`)
  }
  return { firsts: FIRST_NAMES.length, lasts: LAST_NAMES.length, domains: domainSlots.length, places: places.length }
}

const groupSlotsSql = `ARRAY[${GROUPS.flatMap((g, k) => Array.from({ length: g.slots }, () => k + 1)).join(",")}]`
const GROUP_SLOTS = GROUPS.reduce((sum, g) => sum + g.slots, 0)

/**
 * Customers [$1, $2], with their billing addresses and group memberships, in
 * one statement. Rows after $3 are planted ($3 + 1 is PLANTED's first).
 * $4: the start of the three years, $5: their length in seconds, $6: the password hash.
 * Per-row values u1…u8 are independent 31-bit hashes of the row number.
 */
function batchSql(sizes) {
  const rowsSql = `
    SELECT g.i, g.i - $3::int AS p,
           (h.a & 2147483647)::int AS u1, ((h.a >> 32) & 2147483647)::int AS u2,
           (h.b & 2147483647)::int AS u3, ((h.b >> 32) & 2147483647)::int AS u4,
           (h.c & 2147483647)::int AS u5, ((h.c >> 32) & 2147483647)::int AS u6,
           (h.d & 2147483647)::int AS u7, ((h.d >> 32) & 2147483647)::int AS u8
      FROM generate_series($1::int, $2::int) AS g(i)
      CROSS JOIN LATERAL (SELECT hashtextextended(g.i::text, 11) AS a, hashtextextended(g.i::text, 23) AS b,
                                 hashtextextended(g.i::text, 37) AS c, hashtextextended(g.i::text, 41) AS d) h`
  // u1 first name, u2 last name, u3 flags (account / address / phone / nameless guest),
  // u4 email format, domain and phone format, u5 created_at, u6 groups and metadata,
  // u7 phone area and update delay, u8 billing place and address details
  const namedSql = `
    SELECT r.*,
           coalesce(pl.first_name, f.name) AS first_name, coalesce(pl.first_plain, f.plain) AS first_plain,
           coalesce(pl.last_name, l.name) AS last_name, coalesce(pl.last_plain, l.plain) AS last_plain,
           coalesce(pl.domain, d.domain) AS domain, CASE WHEN pl.domain IS NULL THEN d.company END AS company,
           pl.phone AS planted_phone, pl.p IS NOT NULL AS planted,
           ${idMsSql("r.u5::float8 / 2147483648")} AS id_ms,
           $4::timestamptz + (r.u5::float8 / 2147483648 * $5::float8) * interval '1 second' AS created_at,
           lpad(((r.i::bigint * 7919 + 1234567) % 10000000)::text, 7, '0') AS digits,
           (201 + r.u7 % 789)::text AS area
      FROM r
      JOIN seed_first f ON f.idx = r.u1 % ${sizes.firsts}
      JOIN seed_last l ON l.idx = r.u2 % ${sizes.lasts}
      JOIN seed_domain d ON d.idx = (r.u4 / 5) % ${sizes.domains}
      LEFT JOIN seed_planted pl ON pl.p = r.p`
  const customerSql = `
    SELECT n.*,
           'cus_' || ${ulidTimeSql("n.id_ms")} || upper(substr(md5('cus' || n.i), 1, 16)) AS id,
           'addr_' || ${ulidTimeSql("n.id_ms")} || upper(substr(md5('addr' || n.i), 1, 16)) AS address_id,
           n.u3 % 100 < 60 AS has_account,
           (n.u3 / 100) % 100 < 30 AS has_address,
           CASE WHEN n.planted_phone IS NOT NULL THEN n.planted_phone
                WHEN (n.u3 / 10000) % 100 < 70 THEN
                  CASE -- 30 % +1 (555) 010-4477, 20 % 555.010.4477, 10 % +44 20 7946 0958, 10 % 0049 30 1234567, 30 % 5550104477
                    WHEN (n.u4 / 1000) % 10 < 3 THEN '+1 (' || n.area || ') ' || substr(n.digits, 1, 3) || '-' || substr(n.digits, 4, 4)
                    WHEN (n.u4 / 1000) % 10 < 5 THEN n.area || '.' || substr(n.digits, 1, 3) || '.' || substr(n.digits, 4, 4)
                    WHEN (n.u4 / 1000) % 10 = 5 THEN '+44 20 7' || substr(n.digits, 1, 3) || ' ' || substr(n.digits, 4, 4)
                    WHEN (n.u4 / 1000) % 10 = 6 THEN '0049 30 ' || n.digits
                    ELSE n.area || n.digits
                  END
           END AS phone,
           -- guests created at checkout often have no name
           NOT n.planted AND n.u3 % 100 >= 60 AND (n.u3 / 1000000) % 10 = 0 AS nameless,
           CASE n.u4 % 5
             WHEN 0 THEN n.first_plain || '.' || n.last_plain
             WHEN 1 THEN n.first_plain || '_' || n.last_plain
             WHEN 2 THEN n.first_plain || n.last_plain
             WHEN 3 THEN left(n.first_plain, 1) || n.last_plain
             ELSE n.last_plain || '.' || n.first_plain
           END || n.i || '@' || n.domain AS email,
           least(n.created_at + ((n.u7 / 1000) % 172800) * interval '1 second', now()) AS updated_at,
           n.u6 % 100 < 20 AS in_group, n.u6 % 100 < 3 AS in_two_groups,
           (${groupSlotsSql})[1 + (n.u6 / 100) % ${GROUP_SLOTS}] AS group1
      FROM named n`
  return `
    WITH r AS (${rowsSql}),
    named AS MATERIALIZED (${namedSql}),
    c AS MATERIALIZED (${customerSql}),
    addresses AS (
      INSERT INTO address (id, customer_id, company, first_name, last_name, address_1, city, country_code, postal_code, phone, created_at, updated_at)
      SELECT c.address_id, c.id, c.company, c.first_name, c.last_name,
             CASE p.number
               WHEN 'before' THEN (1 + (c.u8 / 1000) % 400) || ' ' || p.street
               WHEN 'comma' THEN p.street || ', ' || (1 + (c.u8 / 1000) % 400)
               ELSE p.street || ' ' || (1 + (c.u8 / 1000) % 400)
             END,
             p.city, p.cc,
             CASE p.cc
               WHEN 'gb' THEN p.postal || ' ' || (1 + c.i % 9) || chr(65 + (c.u8 / 400000) % 26) || chr(65 + (c.u8 / 10400000) % 26)
               WHEN 'nl' THEN p.postal || lpad(((c.u8 / 400000) % 100)::text, 2, '0') || ' ' || chr(65 + (c.u8 / 40000000) % 26) || chr(65 + c.i % 26)
               WHEN 'se' THEN p.postal || ((c.u8 / 400000) % 10) || ' ' || lpad(((c.u8 / 4000000) % 100)::text, 2, '0')
               ELSE p.postal || lpad(((c.u8 / 400000) % (10 ^ (CASE WHEN p.cc IN ('dk', 'no') THEN 4 ELSE 5 END - length(p.postal)))::int)::text,
                                     CASE WHEN p.cc IN ('dk', 'no') THEN 4 ELSE 5 END - length(p.postal), '0')
             END,
             CASE WHEN (c.u1 / 10000) % 2 = 0 THEN c.phone END,
             c.created_at, c.updated_at
        FROM c JOIN seed_place p ON p.idx = c.u8 % 1000
       WHERE c.has_address
       ORDER BY c.address_id
    ),
    customers AS (
      INSERT INTO customer (id, email, first_name, last_name, billing_address_id, phone, has_account, password_hash, metadata, created_at, updated_at,
                            search_name, search_email, search_last_name, search_phone)
      SELECT c.id, c.email,
             CASE WHEN NOT c.nameless THEN c.first_name END,
             CASE WHEN NOT c.nameless THEN c.last_name END,
             CASE WHEN c.has_address THEN c.address_id END,
             c.phone, c.has_account,
             CASE WHEN c.has_account THEN $6::text END,
             CASE WHEN (c.u6 / 100000) % 100 < 5 THEN
               jsonb_build_object('source', (ARRAY['pos', 'import', 'wholesale-portal', 'newsletter-signup'])[1 + (c.u6 / 10000000) % 4],
                                  'loyalty_points', (c.u2 / 10000) % 5000)
             END,
             c.created_at, c.updated_at,
             -- the stored search texts, as the plugin's trigger (disabled for the load) computes them
             customers_name_doc(CASE WHEN NOT c.nameless THEN c.first_name END, CASE WHEN NOT c.nameless THEN c.last_name END),
             customers_norm(c.email),
             customers_norm(CASE WHEN NOT c.nameless THEN c.last_name END),
             customers_digits(c.phone)
        FROM c
       ORDER BY c.id
    )
    INSERT INTO customer_group_customers (customer_group_id, customer_id)
    SELECT 'cgrp_bench_' || c.group1, c.id FROM c WHERE c.in_group
    UNION ALL
    SELECT 'cgrp_bench_' || (1 + (c.group1 + (c.u6 / 2000) % 4) % 5), c.id FROM c WHERE c.in_two_groups
    ORDER BY 1, 2`
}

function progressBar(done, total, started) {
  const width = 30
  const filled = Math.round((done / total) * width)
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${done.toLocaleString("en-US")} / ${total.toLocaleString("en-US")} customers  ${(
    (Date.now() - started) /
    1000
  ).toFixed(1)} s`
}

/**
 * Drops the other indexes of the seeded tables that back no constraint (Medusa's
 * and the plugin's email uniqueness among them): built once after the load, from
 * sorted input, instead of maintained row by row in random order. Resolves with
 * their definitions, to run again in the same transaction.
 */
async function dropSecondaryIndexes(client) {
  const { rows } = await client.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS definition
       FROM pg_index i
      WHERE i.indrelid IN ('customer'::regclass, 'address'::regclass, 'customer_group_customers'::regclass)
        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
      ORDER BY 1`
  )
  for (const index of rows) await client.query(`DROP INDEX ${index.name}`)
  return rows
}

/** The plugin's search indexes are dropped for the load and rebuilt after it, when dist/ is built. */
const searchIndexesAvailable = () => fs.existsSync(path.join(ROOT, "dist", "lib", "search-schema.js"))

/**
 * Seeds `customers` customers into `url`'s database unless `bench_seed` says
 * they are there already (same count, same generator) and `force` is false.
 * Resolves with `{ seeded, customers, seconds, indexes, phases? }`.
 */
async function seedCustomers({ url, customers = 1_000_000, log = console.log, force = false }) {
  if (!Number.isInteger(customers) || customers < PLANTED_TOTAL) {
    throw new Error(`customers must be an integer ≥ ${PLANTED_TOTAL} (the planted customers), got ${customers}`)
  }
  const client = new Client({ connectionString: url })
  // a lost connection rejects the running query; without a listener it would also crash the process
  client.on("error", (err) => log(`seed: database connection lost (${err.message})`))
  await client.connect()
  const started = Date.now()
  const seconds = () => (Date.now() - started) / 1000
  const withIndexes = searchIndexesAvailable()
  try {
    await client.query("SET synchronous_commit = off")
    await client.query("CREATE TABLE IF NOT EXISTS bench_seed (customers int, seeded_at timestamptz)")
    await client.query("ALTER TABLE bench_seed ADD COLUMN IF NOT EXISTS generator text")
    const { rows: marker } = await client.query("SELECT customers, generator, seeded_at FROM bench_seed ORDER BY seeded_at DESC LIMIT 1")
    const { rows: counted } = await client.query("SELECT coalesce(sum(n), 0)::bigint AS n FROM customer_count")
    if (!force && marker[0] && marker[0].customers === customers && marker[0].generator === GENERATOR && Number(counted[0].n) >= customers) {
      const at = marker[0].seeded_at ? ` seeded at ${marker[0].seeded_at.toISOString()}` : ""
      log(`re-using the ${customers.toLocaleString("en-US")} customers${at} (--force to seed again)`)
      const indexes = withIndexes ? await ensureIndexes(client, log) : null
      return { seeded: false, customers, seconds: seconds(), indexes }
    }

    if (!force && !marker[0]) {
      // No marker: not a database this script seeded (or an interrupted VACUUM after a seed, then
      // its groups are there). Refuse to wipe a store's customers and, by CASCADE, its orders and carts.
      const { rows: foreign } = await client.query(
        `SELECT (SELECT count(*) FROM (SELECT 1 FROM customer LIMIT 1000) c)::int AS customers,
                EXISTS (SELECT 1 FROM customer_group WHERE id = 'cgrp_bench_1') AS ours`
      )
      if (foreign[0].customers > 0 && !foreign[0].ours) {
        throw new Error(
          `this database has customers that ${path.relative(process.cwd(), __filename) || "seed.js"} did not seed; seeding truncates ` +
            "customer, address and customer_group (and, by CASCADE, orders and carts): use a dedicated database, " +
            "or force it (`npm run seed -- --force`, `npm run bench -- --force-seed`)"
        )
      }
    }
    log(`seeding ${customers.toLocaleString("en-US")} customers`)
    await client.query("SET maintenance_work_mem = '256MB'")
    await client.query("SET work_mem = '64MB'")
    await client.query("SET jit = off")
    const { rows: window } = await client.query(
      "SELECT now() - interval '3 years' AS start, extract(epoch FROM now() - (now() - interval '3 years'))::float8 AS span"
    )

    await client.query("BEGIN")
    await client.query("DELETE FROM bench_seed")
    await client.query("TRUNCATE customer_group_customers, customer_group, address, customer CASCADE")
    if (withIndexes) await dropIndexes(client)
    else log("dist/ is not built: the plugin's missing search indexes are left to the store (it builds them at start-up)")
    const secondary = await dropSecondaryIndexes(client)
    // The triggers (search texts, counters) are disabled for the load: the texts are computed by
    // the INSERT itself, the counters rebuilt exactly below, in this transaction (a failure restores both).
    await client.query("ALTER TABLE customer DISABLE TRIGGER USER")
    await client.query(
      `INSERT INTO customer_group (id, name, created_at, updated_at)
       SELECT id, name, $3::timestamptz, $3::timestamptz FROM unnest($1::text[], $2::text[]) AS g(id, name)`,
      [GROUPS.map((g) => g.id), GROUPS.map((g) => g.name), window[0].start]
    )
    const sizes = await createLookups(client)
    const sql = batchSql(sizes)
    const random = customers - PLANTED_TOTAL
    const tty = Boolean(process.stdout.isTTY)
    for (let from = 1; from <= customers; from += BATCH) {
      const to = Math.min(customers, from + BATCH - 1)
      await client.query(sql, [from, to, random, window[0].start, window[0].span, PASSWORD_HASH])
      const line = progressBar(to, customers, started)
      if (tty) process.stdout.write(`\r${line}${to === customers ? "\n" : ""}`)
      else log(line)
    }
    for (const sql of require(path.join(ROOT, "dist/lib/customer-count")).recountSql) await client.query(sql)
    await client.query("ALTER TABLE customer ENABLE TRIGGER USER")
    const loaded = seconds()

    for (const index of secondary) {
      const begun = Date.now()
      await client.query(index.definition)
      log(`rebuilt ${index.name.replace(/"/g, "")} in ${((Date.now() - begun) / 1000).toFixed(1)} s`)
    }
    const indexes = withIndexes ? await ensureIndexes(client, log) : null
    await client.query("COMMIT")
    const indexed = seconds()

    // VACUUM cannot run in a transaction block: each on its own, after COMMIT
    for (const table of ["customer", "address", "customer_group_customers", "customer_group"]) {
      await client.query(`VACUUM (ANALYZE) ${table}`)
    }
    await client.query("INSERT INTO bench_seed (customers, seeded_at, generator) VALUES ($1, now(), $2)", [customers, GENERATOR])
    const total = seconds()
    const round = (x) => Math.round(x * 1000) / 1000
    const phases = { load: round(loaded), indexes: round(indexed - loaded), vacuum: round(total - indexed) }
    log(
      `seeded ${customers.toLocaleString("en-US")} customers in ${total.toFixed(1)} s ` +
        `(rows ${phases.load.toFixed(1)} s, indexes ${phases.indexes.toFixed(1)} s, VACUUM (ANALYZE) ${phases.vacuum.toFixed(1)} s)`
    )
    return { seeded: true, customers, seconds: total, indexes, phases }
  } catch (err) {
    await client.query("ROLLBACK").catch(() => undefined)
    throw err
  } finally {
    await client.end()
  }
}

module.exports = { seedCustomers, PLANTED }

if (require.main === module) {
  const argv = process.argv.slice(2)
  const flag = (name) => {
    const at = argv.findIndex((a) => a === name || a.startsWith(`${name}=`))
    if (at < 0) return undefined
    return argv[at].includes("=") ? argv[at].slice(name.length + 1) : argv[at + 1]
  }
  const customers = Number(String(flag("--customers") ?? 1_000_000).replace(/[_,]/g, ""))
  if (!process.env.DATABASE_URL) {
    console.error(
      "DATABASE_URL is required: the PostgreSQL database to seed, with Medusa's and the plugin's migrations run\n" +
        "  e.g. DATABASE_URL=postgres://postgres@127.0.0.1:5432/medusa_bench npm run seed -- --customers 100000"
    )
    process.exit(2)
  }
  if (!Number.isInteger(customers) || customers < PLANTED_TOTAL) {
    console.error(`--customers must be an integer ≥ ${PLANTED_TOTAL}`)
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
