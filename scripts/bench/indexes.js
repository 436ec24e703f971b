/** Builds any missing plugin search index on the bench database (plain CREATE INDEX: nothing else runs yet). */
const path = require("path")
const { ROOT } = require("../lib/env")

async function ensureIndexes(client, log) {
  const { SEARCH_INDEXES, createIndexSql } = require(path.join(ROOT, "dist/lib/search-schema"))
  const built = []
  for (const index of SEARCH_INDEXES) {
    const { rowCount } = await client.query("SELECT 1 FROM pg_class WHERE relname = $1", [index.name])
    if (rowCount) continue
    const started = Date.now()
    await client.query(createIndexSql(index, false))
    built.push({ name: index.name, seconds: (Date.now() - started) / 1000 })
    log(`built ${index.name} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
  }
  const { rows } = await client.query(
    "SELECT coalesce(sum(pg_relation_size(c.oid)), 0)::bigint AS bytes FROM pg_class c WHERE c.relname = ANY($1)",
    [SEARCH_INDEXES.map((i) => i.name)]
  )
  return { built, sizeMb: Math.round(Number(rows[0].bytes) / 1048576) }
}

/** Drops the search indexes (before a bulk seed, which is far faster without them). */
async function dropIndexes(client) {
  const { SEARCH_INDEXES } = require(path.join(ROOT, "dist/lib/search-schema"))
  for (const { name } of SEARCH_INDEXES) await client.query(`DROP INDEX IF EXISTS "${name}"`)
}

module.exports = { ensureIndexes, dropIndexes }
