import * as models from "@medusajs/medusa/dist/models"
import type { Request } from "express"
import { DataSource } from "typeorm"
import { verifyApiToken } from "../resilient-api-token"

type Outcome = { err: unknown; user: unknown }

let metadata: DataSource

beforeAll(async () => {
  // TypeORM's metadata for Medusa's models, built without connecting
  const entities = (Object.values(models) as unknown[]).filter((value): value is () => void => typeof value === "function")
  metadata = new DataSource({ type: "postgres", entities })
  await (metadata as unknown as { buildMetadatas(): Promise<void> }).buildMetadatas()
})

/** A request whose scope holds only a manager answering the lookup with `query`. */
function request(token: string | undefined, query: jest.Mock): Request {
  // only the manager is registered: resolving core's authService (and its transaction) would throw
  const scope = {
    resolve: (name: string) => {
      if (name !== "manager") throw new Error(`unexpected resolve(${name})`)
      return { connection: metadata, query }
    },
  }
  return { headers: token === undefined ? {} : { "x-medusa-access-token": token }, scope } as unknown as Request
}

async function verify(req: Request): Promise<Outcome> {
  return await new Promise((resolve) => void verifyApiToken(req, (err, user) => resolve({ err, user })))
}

describe("the admin API-token strategy", () => {
  it("finds the token's live user with one plain statement per request, however often the request is authenticated", async () => {
    const row = {
      id: "usr_1",
      email: "admin@example.com",
      first_name: "Ada",
      last_name: null,
      role: "admin",
      api_token: "pk_good",
      metadata: null,
      created_at: new Date("2024-01-01T00:00:00Z"),
      updated_at: new Date("2024-01-02T00:00:00Z"),
      deleted_at: null,
    }
    const lookup = jest.fn(async () => [row])
    const req = request("pk_good", lookup)
    const first = await verify(req)
    expect(first.err).toBeNull()
    // a User entity, as TypeORM's findOne hydrates it
    expect(first.user).toBeInstanceOf(models.User)
    expect(first.user).toEqual(Object.assign(new models.User(), row))
    expect(await verify(req)).toEqual(first)
    expect(lookup).toHaveBeenCalledTimes(1)
    const [sql, params] = lookup.mock.calls[0] as unknown as [string, unknown[]]
    expect(params).toEqual(["pk_good"])
    expect(sql).toMatch(/FROM "user" u\s+WHERE u\.api_token = \$1 AND u\.deleted_at IS NULL LIMIT 1$/)
    expect(sql).not.toContain("password_hash")
  })

  it("fails an unknown token as core does (no user, no error)", async () => {
    const lookup = jest.fn(async () => [])
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
