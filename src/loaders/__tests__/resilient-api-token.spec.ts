import type { Request } from "express"
import { MedusaError } from "medusa-core-utils"
import { verifyApiToken } from "../resilient-api-token"

type Outcome = { err: unknown; user: unknown }

function request(token: string | undefined, retrieveByApiToken: jest.Mock): Request {
  // only userService is registered: resolving core's authService (and its transaction) would throw
  const scope = {
    resolve: (name: string) => {
      if (name !== "userService") throw new Error(`unexpected resolve(${name})`)
      return { retrieveByApiToken }
    },
  }
  return { headers: token === undefined ? {} : { "x-medusa-access-token": token }, scope } as unknown as Request
}

async function verify(req: Request): Promise<Outcome> {
  return await new Promise((resolve) => void verifyApiToken(req, (err, user) => resolve({ err, user })))
}

describe("the admin API-token strategy", () => {
  it("finds the token's user with one lookup per request, however often the request is authenticated", async () => {
    const user = { id: "usr_1", email: "admin@example.com" }
    const lookup = jest.fn(async () => user)
    const req = request("pk_good", lookup)
    expect(await verify(req)).toEqual({ err: null, user })
    expect(await verify(req)).toEqual({ err: null, user })
    expect(lookup.mock.calls).toEqual([["pk_good"]])
  })

  it("fails an unknown token as core does (no user, no error)", async () => {
    const lookup = jest.fn(async () => {
      throw new MedusaError(MedusaError.Types.NOT_FOUND, "User with api token: pk_bad was not found")
    })
    expect(await verify(request("pk_bad", lookup))).toEqual({ err: null, user: false })
  })

  it("passes a database failure on as an error, not as a refused token, without the token in it", async () => {
    // what TypeORM rejects with: the statement and its parameters (the token) ride along
    const failed = Object.assign(new Error("terminating connection due to administrator command"), {
      code: "57P01",
      query: 'SELECT "User"."id" FROM "user" "User" WHERE "User"."api_token" = $1',
      parameters: ["pk_good"],
    })
    const lookup = jest.fn(async () => {
      throw failed
    })
    const { err, user } = await verify(request("pk_good", lookup))
    expect(user).toBe(false)
    expect(err).toBeInstanceOf(Error)
    expect({ ...(err as object), message: (err as Error).message }).toEqual({
      code: "57P01",
      message: "API token lookup failed: terminating connection due to administrator command",
    })
    expect(JSON.stringify(err) + String((err as Error).stack)).not.toContain("pk_good")
  })

  it("passes on a rejection that is not even an error", async () => {
    const lookup = jest.fn(async () => {
      throw null
    })
    const { err, user } = await verify(request("pk_good", lookup))
    expect([user, (err as Error).message]).toEqual([false, "API token lookup failed: null"])
  })

  it("looks nothing up without a token", async () => {
    const lookup = jest.fn()
    expect(await verify(request(undefined, lookup))).toEqual({ err: null, user: false })
    expect(await verify(request("", lookup))).toEqual({ err: null, user: false })
    expect(lookup).not.toHaveBeenCalled()
  })
})
