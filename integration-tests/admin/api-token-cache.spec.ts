import { closeDb, db, msUntilTokenRefused, raw } from "../setup/context"

const USER = "usr_test_token_cache"
const LISTENER = "medusa-customers-user-changes"

const status = async (token: string) =>
  (await raw("GET", "/admin/customers", { auth: false, headers: { "x-medusa-access-token": token } })).status

/** This database's listener connections; `live`: only one that has LISTENed and checked for the trigger. */
async function listenerPids({ live = false } = {}): Promise<number[]> {
  const { rows } = await (await db()).query(
    `SELECT pid FROM pg_stat_activity
      WHERE application_name = $1 AND datname = current_database()
        AND ($2::boolean IS FALSE OR (state = 'idle' AND query LIKE 'SELECT EXISTS%'))`,
    [LISTENER, live]
  )
  return rows.map((row) => row.pid as number)
}

/** Time for the store to hear a notification (delivered asynchronously, within milliseconds). */
const settle = () => new Promise((resolve) => setTimeout(resolve, 200))

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, limitMs = 10_000): Promise<T> {
  const started = Date.now()
  for (;;) {
    const value = await probe()
    if (value !== undefined) return value
    if (Date.now() - started > limitMs) throw new Error(`${what}: not within ${limitMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

describe("API tokens kept in memory while the user table's changes are heard", () => {
  beforeEach(async () => {
    await (await db()).query(
      `INSERT INTO public.user (id, email, role, api_token) VALUES ($1, 'token-cache@example.com', 'admin', 'pk_cache_a')
       ON CONFLICT (id) DO UPDATE SET deleted_at = NULL, api_token = EXCLUDED.api_token`,
      [USER]
    )
    // the listener is connected and listening (a test below kills it), and has heard the upsert
    await waitFor("the listener", async () => ((await listenerPids({ live: true })).length === 1 ? true : undefined))
    await settle()
  })
  afterAll(async () => {
    await (await db()).query("DELETE FROM public.user WHERE id = $1", [USER])
    await closeDb()
  })

  it("refuses a token changed or revoked by hand within a second, and accepts the new one at once", async () => {
    expect([await status("pk_cache_a"), await status("pk_cache_a")]).toEqual([200, 200])
    await (await db()).query("UPDATE public.user SET api_token = 'pk_cache_b' WHERE id = $1", [USER])
    expect(await msUntilTokenRefused("pk_cache_a", 1_000)).toBeLessThan(1_000)
    expect(await status("pk_cache_b")).toBe(200)
    await (await db()).query("UPDATE public.user SET deleted_at = now() WHERE id = $1", [USER])
    expect(await msUntilTokenRefused("pk_cache_b", 1_000)).toBeLessThan(1_000)
  })

  it("answers from memory: unheard (trigger disabled), a changed token works until its 10 s are up", async () => {
    const pg = await db()
    const cachedFrom = Date.now()
    expect(await status("pk_cache_a")).toBe(200)
    await pg.query("ALTER TABLE public.user DISABLE TRIGGER medusa_customers_user_changes")
    try {
      await pg.query("UPDATE public.user SET api_token = 'pk_cache_b' WHERE id = $1", [USER])
      expect(await status("pk_cache_a")).toBe(200)
      await msUntilTokenRefused("pk_cache_a", 12_000)
      // refused once the entry made by the first request expired, not before
      expect(Date.now() - cachedFrom).toBeGreaterThanOrEqual(10_000)
    } finally {
      await pg.query("ALTER TABLE public.user ENABLE TRIGGER medusa_customers_user_changes")
    }
  }, 20_000)

  it("looks every token up while its listener is away, and hears changes again once it is back", async () => {
    const pg = await db()
    expect(await status("pk_cache_a")).toBe(200)
    const [pid] = await listenerPids()
    await pg.query("SELECT pg_terminate_backend($1)", [pid])
    // the store drops its cache as the connection ends (it connects again 1 s later):
    // the change below is seen at once, without a notification
    await waitFor("the listener gone", async () => ((await listenerPids()).length === 0 ? true : undefined))
    await pg.query("UPDATE public.user SET api_token = 'pk_cache_b' WHERE id = $1", [USER])
    expect(await msUntilTokenRefused("pk_cache_a", 200)).toBeLessThan(200)
    const [again] = await waitFor("the listener back", async () => {
      const pids = await listenerPids({ live: true })
      return pids.length === 1 && pids[0] !== pid ? pids : undefined
    })
    expect(again).not.toBe(pid)
    await settle()
    // back on: changes are heard again, and tokens answered from memory again
    expect(await status("pk_cache_b")).toBe(200)
    await pg.query("UPDATE public.user SET api_token = 'pk_cache_c' WHERE id = $1", [USER])
    expect(await msUntilTokenRefused("pk_cache_b", 1_000)).toBeLessThan(1_000)
    expect(await status("pk_cache_c")).toBe(200)
    await pg.query("ALTER TABLE public.user DISABLE TRIGGER medusa_customers_user_changes")
    try {
      await pg.query("UPDATE public.user SET api_token = 'pk_cache_d' WHERE id = $1", [USER])
      expect(await status("pk_cache_c")).toBe(200)
    } finally {
      await pg.query("ALTER TABLE public.user ENABLE TRIGGER medusa_customers_user_changes")
    }
  })
})
