import { closeDb, db, msUntilTokenRefused, raw, testEnv } from "../setup/context"

/**
 * The test store has an AuthService of its own (integration-tests/fixtures/store-extensions),
 * as a store may: the plugin's API-token strategy must ask it, on every admin route.
 */
const ISSUED_USER = "usr_test_store_issued"
const BLOCKABLE_USER = "usr_test_store_blockable"
const BLOCKABLE_TOKEN = "pk_store_blockable"

const get = (path: string, token: string) => raw("GET", path, { auth: false, headers: { "x-medusa-access-token": token } })

describe("a store's own AuthService.authenticateAPIToken", () => {
  beforeAll(async () => {
    const pg = await db()
    await pg.query(
      `INSERT INTO public.user (id, email, role, api_token) VALUES ($1, $2, 'admin', NULL), ($3, 'store-blockable@example.com', 'admin', $4)
       ON CONFLICT (id) DO UPDATE SET deleted_at = NULL, metadata = NULL, api_token = EXCLUDED.api_token`,
      [ISSUED_USER, testEnv().storeIssued.email, BLOCKABLE_USER, BLOCKABLE_TOKEN]
    )
  })
  afterAll(async () => {
    await (await db()).query("DELETE FROM public.user WHERE id = ANY($1)", [[ISSUED_USER, BLOCKABLE_USER]])
    await closeDb()
  })

  it("accepts a token only the store's AuthService knows, as the user it names, on the customers routes and core's", async () => {
    const { token, email } = testEnv().storeIssued
    for (let i = 0; i < 2; i++) expect((await get("/admin/customers", token)).status).toBe(200)
    const session = await get("/admin/auth", token)
    expect([session.status, JSON.parse(session.text).user.id, JSON.parse(session.text).user.email]).toEqual([200, ISSUED_USER, email])
  })

  it("refuses a user the store blocks, though its token is in the user table", async () => {
    expect([(await get("/admin/customers", BLOCKABLE_TOKEN)).status, (await get("/admin/auth", BLOCKABLE_TOKEN)).status]).toEqual([200, 200])
    await (await db()).query(`UPDATE public.user SET metadata = '{"blocked_by_store": true}' WHERE id = $1`, [BLOCKABLE_USER])
    // the block is a change to the user table: the API-token cache forgets the token
    await msUntilTokenRefused(BLOCKABLE_TOKEN, 15_000)
    expect((await get("/admin/auth", BLOCKABLE_TOKEN)).status).toBe(401)
  })
})
