import Medusa from "@medusajs/medusa-js"
import { type ChildProcess, execFileSync, spawn } from "child_process"
import fs from "fs"
import net from "net"
import path from "path"
import { cloneRepository, freshFolder } from "./fresh-store"

/* `npm start` in a clone as a new user runs it: as root, in a folder only root can enter, with ports taken. */
const { freePort, portFree } = require("../../scripts/lib/store")
const { SHARED_HOME } = require("../../scripts/lib/postgres-home")

type Run = { child: ChildProcess; lines: string[]; code: Promise<number | null> }

/** `npm start` in `dir`; `ready` resolves once it prints its banner (or rejects with its output if it ends first). */
function npmStart(dir: string, env: Record<string, string>): Run & { ready: Promise<void> } {
  // a process group of its own, as in a terminal: Ctrl+C (SIGINT) reaches npm and everything it started
  const child = spawn("npm", ["start"], { cwd: dir, env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true })
  const lines: string[] = []
  let output = ""
  const code = new Promise<number | null>((resolve) => child.once("exit", (exit) => resolve(exit)))
  const ready = new Promise<void>((resolve, reject) => {
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      lines.splice(0, lines.length, ...output.split("\n").map((line) => line.trimEnd()))
      if (output.includes("Medusa store with medusa-plugin-customers is running")) resolve()
    }
    child.stdout!.on("data", read)
    child.stderr!.on("data", read)
    void code.then((exit) => reject(new Error(`npm start ended (${exit}) before it was ready:\n${output}`)))
  })
  return { child, lines, code, ready }
}

/** Ctrl+C: SIGINT to the run's process group; resolves once npm has exited. */
async function interrupt(run: Run | undefined): Promise<void> {
  if (!run || run.child.exitCode !== null || run.child.signalCode !== null) return
  process.kill(-run.child.pid!, "SIGINT")
  await run.code
}

/** A port that is free, and so is the one after it. */
async function freePortPair(): Promise<number> {
  for (;;) {
    const port: number = await freePort()
    if (await portFree(port + 1)) return port
  }
}

describe("npm start as root in a folder only root can enter, its PostgreSQL port taken by another program", () => {
  let folder: string
  let clone: string
  let blocker: net.Server
  let env: Record<string, string>
  let pgPort: number
  let storePort: number
  let first: ReturnType<typeof npmStart>

  beforeAll(async () => {
    if (process.getuid?.() !== 0) throw new Error("this test runs npm start as root, as CI does: run it as root")
    folder = freshFolder("medusa-private-", 0o700)
    clone = path.join(folder, "clone")
    cloneRepository(clone)
    pgPort = await freePortPair()
    storePort = await freePort()
    blocker = net.createServer().listen(pgPort, "127.0.0.1")
    env = { EMBEDDED_PG_PORT: String(pgPort), PORT: String(storePort), MEDUSA_ADMIN: "false" }
    first = npmStart(clone, env)
    await first.ready
  }, 600000)

  afterAll(async () => {
    await interrupt(first)
    blocker?.close()
    const home = first?.lines.map((line) => /the cluster lives in (\S+)\/pg$/.exec(line)?.[1]).find(Boolean)
    if (home) fs.rmSync(home, { recursive: true, force: true })
    fs.rmSync(folder, { recursive: true, force: true })
  })

  it("runs PostgreSQL as the OS user postgres from files it can reach, on the next free port, and serves the four routes", async () => {
    const moved = first.lines.filter((line) => line.includes("cannot enter"))
    expect(moved).toHaveLength(1)
    const escaped = folder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")
    expect(moved[0]).toMatch(
      new RegExp(`^\\[start\\] The OS user postgres, which runs PostgreSQL for root, cannot enter ${escaped}: the cluster lives in ${SHARED_HOME}/clone-[0-9a-f]{12}/pg$`)
    )
    const dataDir = moved[0].split(" the cluster lives in ")[1]
    const postgresUid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }))
    expect([fs.statSync(dataDir).uid, fs.existsSync(path.join(dataDir, "PG_VERSION")), fs.existsSync(path.join(clone, ".medusa", "pg"))]).toEqual([postgresUid, true, false])
    expect(first.lines).toContain(`[start] Port ${pgPort} is taken by another program: the embedded PostgreSQL uses port ${pgPort + 1}`)
    expect(first.lines).toContain(`[start] Embedded PostgreSQL ready: postgres://postgres:postgres@127.0.0.1:${pgPort + 1}/medusa`)

    const apiToken = first.lines.find((line) => line.startsWith("  API token: "))!.slice("  API token: ".length)
    const medusa = new Medusa({ baseUrl: `http://127.0.0.1:${storePort}`, maxRetries: 0, apiKey: apiToken })
    const { customer } = await medusa.admin.customers.create({ email: "first@example.com", first_name: "First", last_name: "Run", password: "supersecret" })
    const listed = await medusa.admin.customers.list({ q: "first run" } as never)
    const retrieved = await medusa.admin.customers.retrieve(customer.id)
    const updated = await medusa.admin.customers.update(customer.id, { first_name: "Second" })
    expect([listed.count, listed.customers[0].id, retrieved.customer.email, updated.customer.first_name]).toEqual([1, customer.id, "first@example.com", "Second"])
  })

  it("a second npm start reuses its own running PostgreSQL and, the store's port taken, ends with one line saying what to do", async () => {
    const second = npmStart(clone, env)
    second.ready.catch(() => undefined)
    expect(await second.code).toBe(1)
    const said = second.lines.filter(Boolean)
    expect(said).toContain(`[start] Reusing the embedded PostgreSQL already running on port ${pgPort + 1}`)
    expect(said[said.length - 1]).toBe(`[start] Port ${storePort} is taken by another program. Stop it, or start on another port: PORT=${storePort + 1} npm start`)
    expect(said.filter((line) => /^\s+at /.test(line) || /Unhandled|rejected/i.test(line))).toEqual([])
  })
})
