import { execFileSync } from "child_process"
import fs from "fs"
import os from "os"
import path from "path"

/* What a store developer does with the plugin, step by step, in folders of its own under the system's temp folder. */
const { ROOT } = require("../../scripts/lib/env")
const { provideDatabase, TEST_CLUSTER } = require("../../scripts/lib/database")
const { migrate, boot, stopChild, run, freePort } = require("../../scripts/lib/store")

export type Installer = "npm" | "pnpm"
export type RunningStore = { child: import("child_process").ChildProcess; apiToken: string; port: number }

const dev = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { devDependencies: Record<string, string> }).devDependencies

/** A new empty folder; `mode` 0o700 makes it one only its owner can enter. */
export function freshFolder(prefix: string, mode = 0o755): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix))
  fs.chmodSync(dir, mode)
  return dir
}

/**
 * A clone of this repository in `dir`: the files git lists (tracked, and new
 * ones not ignored), with this repository's node_modules linked in (installed
 * already, as by `npm install`).
 */
export function cloneRepository(dir: string): void {
  const files = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((file) => file && fs.existsSync(path.join(ROOT, file)))
  for (const file of files) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    fs.copyFileSync(path.join(ROOT, file), path.join(dir, file))
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir")
}

/** `npm pack` of this repository into `dir`: the tarball's path. */
export function packPlugin(dir: string): string {
  const packed = JSON.parse(execFileSync("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", dir], { cwd: ROOT, encoding: "utf8" }))
  return path.join(dir, packed[0].filename)
}

/**
 * A fresh Medusa 1.20.11 store in `dir` that lists the packed plugin and only
 * what a store itself needs, installed by `installer` with its default settings.
 */
export async function installStore(dir: string, tarball: string, installer: Installer): Promise<void> {
  fs.copyFileSync(tarball, path.join(dir, path.basename(tarball)))
  fs.writeFileSync(
    path.join(dir, "package.json"),
    JSON.stringify({
      name: "fresh-store",
      private: true,
      dependencies: {
        "@medusajs/medusa": dev["@medusajs/medusa"],
        "@medusajs/cache-inmemory": dev["@medusajs/cache-inmemory"],
        "@medusajs/event-bus-local": dev["@medusajs/event-bus-local"],
        "medusa-interfaces": dev["medusa-interfaces"],
        typeorm: dev.typeorm,
        express: dev.express,
        "medusa-plugin-customers": `file:./${path.basename(tarball)}`,
      },
    })
  )
  fs.writeFileSync(
    path.join(dir, "medusa-config.js"),
    `module.exports = {
  projectConfig: { database_url: process.env.DATABASE_URL, database_type: "postgres", jwt_secret: "s", cookie_secret: "s" },
  plugins: [require("medusa-plugin-customers").customersPlugin({ fuzzySearch: true, deepOffset: 10000 })],
  modules: { eventBus: { resolve: "@medusajs/event-bus-local" }, cacheService: { resolve: "@medusajs/cache-inmemory" } },
}\n`
  )
  if (installer === "npm") {
    await run("npm", ["install", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"], { cwd: dir, quiet: true })
  } else {
    await run(path.join(ROOT, "node_modules", ".bin", "pnpm"), ["install"], { cwd: dir, quiet: true })
  }
}

/**
 * Migrations into a fresh database `database` of the test cluster, then the
 * store started on a free port; its log goes to `medusa.log` in its folder,
 * whose end a failed start-up reports.
 */
export async function startStore(dir: string, database: string): Promise<RunningStore> {
  const db = await provideDatabase({ database, fresh: true, cluster: TEST_CLUSTER, log: () => undefined })
  await migrate(db.url, { directory: dir, quiet: true })
  const logFile = path.join(dir, "medusa.log")
  const logFd = fs.openSync(logFile, "w")
  try {
    return await boot({ databaseUrl: db.url, port: await freePort(), stdio: logFd, env: { MEDUSA_DIRECTORY: dir } })
  } catch (err) {
    const tail = fs.readFileSync(logFile, "utf8").trim().split("\n").slice(-20).join("\n")
    throw new Error(`${(err as Error).message}; the end of ${logFile}:\n${tail}`)
  } finally {
    fs.closeSync(logFd)
  }
}

export async function stopStore(store: RunningStore | undefined): Promise<void> {
  await stopChild(store?.child)
}
