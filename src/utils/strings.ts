/** Trims and lower-cases an email address; leaves anything else untouched. */
export function normalizeEmail<T>(value: T): T | string {
  return typeof value === "string" ? value.trim().toLowerCase() : value
}

/** Splits a comma-separated query value ("a, b,c") into its trimmed parts. */
export function splitList(value: string): string[] {
  return value.split(",").map((part) => part.trim())
}

/** `name` as a quoted SQL identifier (`my "x"` → `"my ""x"""`). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`
}

/** A string as an SQL literal. */
export function quoteLiteral(text: string): string {
  return `'${text.replace(/'/g, "''")}'`
}
