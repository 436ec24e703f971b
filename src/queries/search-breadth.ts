import type { EntityManager } from "typeorm"
import { SEARCH_COLUMN_OF } from "../lib/search-schema"
import type { SearchTerms } from "./customer-search"

/**
 * Whether a `q` is broad: in so large a share of the customers that finding
 * its matches through the trigram indexes costs more than one scan of the
 * table (broad-search.ts). One or two characters make no trigram and are always
 * broad. A longer text is judged as PostgreSQL's planner judges a `LIKE
 * '%text%'`: by the share of the columns' statistics (`pg_stats`: most common
 * values and histogram bounds, refreshed by ANALYZE) that contain it, read
 * here from a copy kept for a few minutes, so that a search pays no round trip
 * for the judgement. A wrong judgement costs time, never a result: both paths
 * find the same customers in the same order.
 */

/** At this share of matches or more, one scan costs less than visiting each match through an index. */
export const BROAD_SHARE = 0.1
/** How long a copy of the statistics is used before it is read again (in the background). */
const STATS_TTL_MS = 5 * 60_000

type ColumnStats = { common: string[]; commonFreqs: number[]; histogram: string[]; nullFrac: number }
type SearchStats = { columns: ColumnStats[]; tableRows: number }
type StatsCache = SearchStats & { readAt: number; refreshing?: Promise<void> }

let cache: StatsCache | undefined

/** Lower-cased, accents removed: close enough to the stored texts' normalisation to judge a share. */
function roughNorm(text: string): string {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase()
}

async function readStats(manager: EntityManager): Promise<SearchStats> {
  const rows = (await manager.query(
    `SELECT null_frac, most_common_vals::text::text[] AS common, most_common_freqs AS freqs, histogram_bounds::text::text[] AS histogram
       FROM pg_stats WHERE schemaname = current_schema() AND tablename = 'customer' AND attname = ANY($1)`,
    [[SEARCH_COLUMN_OF.email, SEARCH_COLUMN_OF.name]]
  )) as { null_frac: number; common: string[] | null; freqs: number[] | null; histogram: string[] | null }[]
  const [table] = (await manager.query(`SELECT reltuples FROM pg_class WHERE oid = 'customer'::regclass`)) as { reltuples: number }[]
  return {
    columns: rows.map((r) => ({
      common: (r.common ?? []).map(roughNorm),
      commonFreqs: r.freqs ?? [],
      histogram: (r.histogram ?? []).map(roughNorm),
      nullFrac: Number(r.null_frac),
    })),
    // -1: never analysed
    tableRows: Math.max(Number(table?.reltuples ?? 0), 0),
  }
}

/** The statistics, read on first use and again in the background once they are older than STATS_TTL_MS. */
async function searchStats(manager: EntityManager): Promise<SearchStats> {
  if (!cache) cache = { readAt: Date.now(), ...(await readStats(manager)) }
  const current = cache
  if (Date.now() - current.readAt > STATS_TTL_MS && !current.refreshing) {
    current.refreshing = readStats(manager)
      .then((stats) => void (cache = { readAt: Date.now(), ...stats }))
      .catch(() => void (current.refreshing = undefined))
  }
  return current
}

/** The share of a column's values that contain `text`, as its statistics tell. */
export function shareContaining(stats: ColumnStats, text: string): number {
  const commonTotal = stats.commonFreqs.reduce((sum, f) => sum + f, 0)
  const common = stats.common.reduce((sum, value, i) => sum + (value.includes(text) ? stats.commonFreqs[i] ?? 0 : 0), 0)
  const rest = Math.max(0, 1 - stats.nullFrac - commonTotal)
  const inHistogram = stats.histogram.length ? stats.histogram.filter((value) => value.includes(text)).length / stats.histogram.length : 0
  return common + rest * inHistogram
}

export function isShortText(terms: SearchTerms): boolean {
  return [...terms.text].length <= 2
}

/** Whether `terms` are broad, and the table's size as last analysed (broad-search.ts samples it). */
export async function searchBreadth(manager: EntityManager, terms: SearchTerms): Promise<{ broad: boolean; tableRows: number }> {
  const stats = await searchStats(manager)
  if (isShortText(terms)) return { broad: true, tableRows: stats.tableRows }
  const text = roughNorm(terms.text)
  const share = stats.columns.reduce((sum, column) => sum + shareContaining(column, text), 0)
  return { broad: share >= BROAD_SHARE, tableRows: stats.tableRows }
}

/** Forgets the copied statistics (tests that ANALYZE a table of their own). */
export function forgetSearchStats(): void {
  cache = undefined
}
