/**
 * An integer ≥ 1 from the environment, `fallback` when unset: anything else is
 * an error naming the variable (a `NaN` threshold would silently turn its
 * feature off, or on for every table).
 */
export function envCount(name: string, fallback: number): number {
  const raw = process.env[name]
  if (raw === undefined || raw.trim() === "") return fallback
  if (!/^\s*[1-9]\d*\s*$/.test(raw)) {
    throw new Error(`medusa-plugin-customers: environment variable ${name} must be an integer ≥ 1, got ${JSON.stringify(raw)}`)
  }
  return Number(raw)
}
