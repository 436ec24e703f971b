import Scrypt from "scrypt-kdf"
import fs from "fs"
import { HASH_NICE, hashPassword, HASH_PARAMS, hashThreadCount, Limiter, MAX_CONCURRENT_HASHES, stopHashingThreads } from "../password"

/** The nice value of each thread of this process (Linux), by thread id. */
function threadNices(): Map<string, number> {
  const nices = new Map<string, number>()
  for (const tid of fs.readdirSync("/proc/self/task")) {
    // the fields after the command's closing parenthesis start at the 3rd; nice is the 19th
    const fields = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8").split(") ")[1].split(" ")
    nices.set(tid, Number(fields[16]))
  }
  return nices
}

describe("hashPassword", () => {
  // threads an earlier test file's copy of the module started in this Jest worker are not this one's
  let earlierHashThreads: string[] = []
  let mainNice: number | undefined
  beforeAll(() => {
    earlierHashThreads = [...threadNices()].filter(([, nice]) => nice === HASH_NICE).map(([tid]) => tid)
    mainNice = threadNices().get(String(process.pid))
  })

  it("hashes with scrypt logN 15, r 8, in the base64 format core's AuthService verifies", async () => {
    const hash = await hashPassword("supersecret")
    const buf = Buffer.from(hash, "base64")
    expect(buf.subarray(0, 6).toString()).toBe("scrypt")
    expect({ logN: buf.readUInt8(7), r: buf.readUInt32BE(8), p: buf.readUInt32BE(12) }).toEqual(HASH_PARAMS)
    expect(await Scrypt.verify(buf, "supersecret")).toBe(true)
    expect(await Scrypt.verify(buf, "wrong")).toBe(false)
  })

  it("hashes on threads of their own at a lower priority than the store's, at most MAX_CONCURRENT_HASHES of them", async () => {
    const passwords = Array.from({ length: MAX_CONCURRENT_HASHES + 3 }, (_, i) => `secret-${i}`)
    const hashes = await Promise.all(passwords.map((p) => hashPassword(p)))
    for (const [i, hash] of hashes.entries()) expect(await Scrypt.verify(Buffer.from(hash, "base64"), passwords[i])).toBe(true)
    const nices = threadNices()
    expect(nices.get(String(process.pid))).toBe(mainNice)
    const hashThreads = [...nices].filter(([tid, nice]) => nice === HASH_NICE && !earlierHashThreads.includes(tid))
    expect(hashThreads).toHaveLength(MAX_CONCURRENT_HASHES)
  })

  it("reports what scrypt refuses as an error, and hashes the next password", async () => {
    await expect(hashPassword(42 as unknown as string)).rejects.toThrow(/^password hashing failed: The "password" argument must be of type string/)
    expect(await Scrypt.verify(Buffer.from(await hashPassword("next"), "base64"), "next")).toBe(true)
  })
})

describe("hashThreadCount", () => {
  it("is one per core, at most 4, where the threads' priority is lowered (Linux); elsewhere a core is left to the store", () => {
    expect([1, 2, 4, 8].map((cores) => hashThreadCount(cores, "linux"))).toEqual([1, 2, 4, 4])
    expect([1, 2, 4, 8].map((cores) => hashThreadCount(cores, "darwin"))).toEqual([1, 1, 3, 4])
  })
})

describe("hashing threads that stop", () => {
  it("fail the hash under way, free its slot, leave the pool; the next hash gets a new thread", async () => {
    expect(await Scrypt.verify(Buffer.from(await hashPassword("first"), "base64"), "first")).toBe(true)
    // an idle thread stopped, then one stopped while it hashes
    await stopHashingThreads()
    const interrupted = hashPassword("interrupted")
    await stopHashingThreads()
    await expect(interrupted).rejects.toThrow(/^the password hashing thread exited \(\d+\)$/)
    const again = await Promise.all(Array.from({ length: MAX_CONCURRENT_HASHES + 1 }, (_, i) => hashPassword(`again-${i}`)))
    for (const [i, hash] of again.entries()) expect(await Scrypt.verify(Buffer.from(hash, "base64"), `again-${i}`)).toBe(true)
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
