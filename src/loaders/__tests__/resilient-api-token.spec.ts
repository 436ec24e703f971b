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

  it("passes a database failure on as an error, not as a refused token", async () => {
    const down = Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })
    const lookup = jest.fn(async () => {
      throw down
    })
    expect(await verify(request("pk_good", lookup))).toEqual({ err: down, user: false })
  })

  it("looks nothing up without a token", async () => {
    const lookup = jest.fn()
    expect(await verify(request(undefined, lookup))).toEqual({ err: null, user: false })
    expect(await verify(request("", lookup))).toEqual({ err: null, user: false })
    expect(lookup).not.toHaveBeenCalled()
  })
})
