const CONNECTION_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN"])

/**
 * PostgreSQL unreachable or going away: a refused or broken socket, SQLSTATE
 * class 08 (connection exception) or 57P0x (shutdown, crash, cannot connect now).
 */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown; driverError?: unknown } | undefined
  const code = typeof e?.code === "string" ? e.code : ""
  if (CONNECTION_CODES.has(code) || code.startsWith("08") || code.startsWith("57P")) return true
  if (e?.driverError && e.driverError !== err) return isConnectionError(e.driverError)
  return typeof e?.message === "string" && /Connection terminated|terminating connection/.test(e.message)
}
