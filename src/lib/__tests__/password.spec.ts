import Scrypt from "scrypt-kdf"
import { hashPassword, HASH_PARAMS, Limiter } from "../password"

describe("hashPassword", () => {
  it("hashes with scrypt logN 15, r 8, in the base64 format core's AuthService verifies", async () => {
    const hash = await hashPassword("supersecret")
    const buf = Buffer.from(hash, "base64")
    expect(Scrypt.pickParams).toBeDefined()
    expect(buf.subarray(0, 6).toString()).toBe("scrypt")
    expect({ logN: buf.readUInt8(7), r: buf.readUInt32BE(8), p: buf.readUInt32BE(12) }).toEqual(HASH_PARAMS)
    expect(await Scrypt.verify(buf, "supersecret")).toBe(true)
    expect(await Scrypt.verify(buf, "wrong")).toBe(false)
  })
})

describe("Limiter", () => {
  it("never runs more than its maximum at once and runs everything", async () => {
    const limiter = new Limiter(2)
    let active = 0
    let peak = 0
    const done: number[] = []
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        limiter.run(async () => {
          active += 1
          peak = Math.max(peak, active)
          await new Promise((r) => setTimeout(r, 5))
          active -= 1
          done.push(i)
        })
      )
    )
    expect(peak).toBe(2)
    expect(done.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(limiter.pending).toBe(0)
  })

  it("releases its slot when work fails", async () => {
    const limiter = new Limiter(1)
    await expect(limiter.run(async () => Promise.reject(new Error("boom")))).rejects.toThrow("boom")
    expect(await limiter.run(async () => 42)).toBe(42)
  })
})
