import Scrypt from "scrypt-kdf"
import * as password from "../../lib/password"
import { hashPasswordFirst, hashSignedInCustomersPassword } from "../hash-password-first"

type Next = (err?: unknown) => void

/** Runs the middleware on a body; resolves with what `next` got and what `passwordHash` answered inside the route. */
function route(body: unknown, askFor: string): Promise<{ err: unknown; hash: string | undefined }> {
  return new Promise((resolve) => {
    const next: Next = (err) => {
      if (err) return resolve({ err, hash: undefined })
      // the route runs later, in a continuation of the request (as a transaction callback would)
      setImmediate(() => {
        void Promise.resolve()
          .then(() => password.passwordHash(askFor))
          .then((hash) => resolve({ err: undefined, hash }))
      })
    }
    hashPasswordFirst({ body } as never, {} as never, next as never)
  })
}

afterEach(() => jest.restoreAllMocks())

describe("hashPasswordFirst", () => {
  // a fresh hash has a fresh random salt: the same string is the early hash reused
  it("hashes the body's password before the route runs; the route's passwordHash reuses that hash", async () => {
    const hashes = jest.spyOn(password, "hashPassword")
    const { err, hash } = await route({ email: "a@b.c", password: "supersecret" }, "supersecret")
    expect(err).toBeUndefined()
    expect(hashes).toHaveBeenCalledTimes(1)
    expect(hash).toBe(await hashes.mock.results[0].value)
    expect(await Scrypt.verify(Buffer.from(hash as string, "base64"), "supersecret")).toBe(true)
  })

  it("hashes another password afresh: the early hash is only for that exact password", async () => {
    const hashes = jest.spyOn(password, "hashPassword")
    const { hash } = await route({ password: "supersecret" }, "Supersecret")
    expect(hashes).toHaveBeenCalledTimes(1)
    expect(hash).not.toBe(await hashes.mock.results[0].value)
    expect(await Scrypt.verify(Buffer.from(hash as string, "base64"), "Supersecret")).toBe(true)
  })

  it("passes a body without a password straight on, hashing nothing", async () => {
    const hashes = jest.spyOn(password, "hashPassword")
    for (const body of [undefined, { email: "a@b.c" }, { password: "" }, { password: 42 }]) {
      const next = jest.fn()
      hashPasswordFirst({ body } as never, {} as never, next)
      expect(next.mock.calls).toEqual([[]])
    }
    expect(hashes).not.toHaveBeenCalled()
  })

  it("hands a hashing failure to Medusa's error handling", async () => {
    const failure = new Error("out of memory")
    jest.spyOn(password, "hashPassword").mockRejectedValueOnce(failure)
    expect(await route({ password: "x" }, "x")).toEqual({ err: failure, hash: undefined })
  })
})

describe("passwordHash outside a hashed request", () => {
  it("hashes (scripts and other plugins calling the service directly)", async () => {
    const hash = await password.passwordHash("pw")
    expect(await Scrypt.verify(Buffer.from(hash, "base64"), "pw")).toBe(true)
  })
})

describe("hashSignedInCustomersPassword (POST /store/customers/me)", () => {
  const request = (extra: Record<string, unknown>, authorization?: string) =>
    ({ body: { password: "supersecret" }, get: (name: string) => (name === "authorization" ? authorization : undefined), ...extra }) as never

  it("costs an anonymous request no hash: core refuses it first", () => {
    const hashes = jest.spyOn(password, "hashPassword")
    for (const req of [request({}), request({ session: {} }), request({ session: { customer_id: 7 } }, "Basic abc")]) {
      const next = jest.fn()
      hashSignedInCustomersPassword(req, {} as never, next)
      expect(next.mock.calls).toEqual([[]])
    }
    expect(hashes).not.toHaveBeenCalled()
  })

  it("hashes early for a customer's session and for a bearer token", async () => {
    const hashes = jest.spyOn(password, "hashPassword")
    for (const req of [request({ session: { customer_id: "cus_1" } }), request({}, "Bearer eyJ")]) {
      await new Promise<void>((resolve) => hashSignedInCustomersPassword(req, {} as never, () => resolve()))
    }
    expect(hashes).toHaveBeenCalledTimes(2)
  })
})
