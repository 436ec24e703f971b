import type { AuthenticateResult } from "@medusajs/medusa/dist/types/auth"
import type { Request } from "express"
import { apiTokenCache } from "../../lib/user-changes-listener"
import { verifyApiToken } from "../resilient-api-token"

type Outcome = { err: unknown; user: unknown }

/** A user as a store's own AuthService may answer it: an instance of its class. */
class StoreUser {
  constructor(
    readonly id: string,
    readonly metadata: Record<string, unknown> | null = null
  ) {}
}

/** A request whose scope holds a data source (the API-token cache's key) and the store's `authService`. */
function request(token: string | undefined, authenticateAPIToken: jest.Mock, connection: object = {}): Request {
  const scope = {
    resolve: (name: string) => {
      if (name === "manager") return { connection }
      if (name === "authService") return { authenticateAPIToken }
      throw new Error(`unexpected resolve(${name})`)
    },
  }
  return { headers: token === undefined ? {} : { "x-medusa-access-token": token }, scope } as unknown as Request
}

async function verify(req: Request): Promise<Outcome> {
  return await new Promise((resolve) => void verifyApiToken(req, (err, user) => resolve({ err, user })))
}

const answer = (result: AuthenticateResult) => jest.fn(async () => result)

describe("the admin API-token strategy", () => {
  it("takes the user the store's authService answers, asking once per request however often it is authenticated", async () => {
    const user = new StoreUser("usr_1", { team: "a" })
    const authenticate = answer({ success: true, user: user as never })
    const req = request("pk_good", authenticate)
    expect(await verify(req)).toEqual({ err: null, user })
    expect((await verify(req)).user).toBe(user)
    expect(authenticate.mock.calls).toEqual([["pk_good"]])
  })

  it("refuses what authService refuses (no user, no error)", async () => {
    const authenticate = answer({ success: false, error: "Invalid API Token" })
    expect(await verify(request("pk_bad", authenticate))).toEqual({ err: null, user: false })
    expect(await verify(request("pk_bad", answer({ success: true })))).toEqual({ err: null, user: false })
  })

  it("while the cache is live, keeps the answer for the next requests until the user table changes", async () => {
    const connection = {}
    const cache = apiTokenCache(connection)
    cache.setLive(true)
    const authenticate = answer({ success: true, user: new StoreUser("usr_1", { team: "a" }) as never })
    const first = await verify(request("pk_good", authenticate, connection))
    const second = await verify(request("pk_good", authenticate, connection))
    expect(authenticate).toHaveBeenCalledTimes(1)
    // a copy of the store's own user, of its class
    expect(second.user).toBeInstanceOf(StoreUser)
    expect(second).toEqual(first)
    expect(second.user).not.toBe(first.user)
    cache.invalidate()
    await verify(request("pk_good", authenticate, connection))
    expect(authenticate).toHaveBeenCalledTimes(2)
  })

  it("keeps nothing while the cache is not live: every request asks authService", async () => {
    const authenticate = answer({ success: true, user: new StoreUser("usr_1") as never })
    const connection = {}
    await verify(request("pk_good", authenticate, connection))
    await verify(request("pk_good", authenticate, connection))
    expect(authenticate).toHaveBeenCalledTimes(2)
  })

  it("passes a failure on as an error, not as a refused token, without the token in it", async () => {
    // what TypeORM rejects with: the statement and its parameters (the token) ride along
    const failed = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
      query: 'SELECT "User"."id" FROM "user" "User" WHERE "User"."api_token" = $1',
      parameters: ["pk_good"],
    })
    const authenticate = jest.fn(async () => {
      throw failed
    })
    const { err, user } = await verify(request("pk_good", authenticate))
    expect(user).toBe(false)
    expect(err).toBeInstanceOf(Error)
    expect({ ...(err as object), message: (err as Error).message }).toEqual({
      code: "57P01",
      message: "API token lookup failed: terminating connection due to administrator command",
    })
    expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain("pk_good")
  })

  it("passes on a rejection that is not even an error", async () => {
    const authenticate = jest.fn(async () => {
      throw null
    })
    const { err, user } = await verify(request("pk_good", authenticate))
    expect([user, (err as Error).message]).toEqual([false, "API token lookup failed: null"])
  })

  it("asks nothing without a token", async () => {
    const authenticate = jest.fn()
    expect(await verify(request(undefined, authenticate))).toEqual({ err: null, user: false })
    expect(await verify(request("", authenticate))).toEqual({ err: null, user: false })
    expect(authenticate).not.toHaveBeenCalled()
  })
})
