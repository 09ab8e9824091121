// The compiled `ccai-sim` (dist/cli/bin.js): a launcher that runs the CLI's one bundle
// (dist/cli/bin.bundle.cjs, built from ./bin.ts) with a V8 code cache, so a start after the first
// skips most of the compiling of ~1.7 MB of JavaScript (issue "Performance", start-up). Node ≥ 22.1
// has that built in (`module.enableCompileCache`); Node 20 gets it from `vm.Script`'s `cachedData`
// and `createCachedData()`, as `v8-compile-cache` (yarn, eslint) does for CommonJS. The cache is an
// optimisation only: any failure to read or write it leaves a normal start.
// Kept free of the package's other modules: it is compiled on every start, without a cache.
import { lstatSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import nodeModule from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import vm from 'node:vm'

/** The bundle's content hash, from the build: a rebuilt bundle never meets an older cache. */
declare const __CCAI_BIN_BUNDLE_HASH__: string

const bundlePath = fileURLToPath(new URL('./bin.bundle.cjs', import.meta.url))

/** The CommonJS module wrapper, on a line of its own so the bundle keeps its lines and columns. */
const WRAPPER_HEAD = '(function (exports, require, module, __filename, __dirname) {\n'

/**
 * Per user, in the system's temporary folder (`os.tmpdir()`, which follows TMPDIR): a cache that
 * is lost costs one slower start. Not shared between users, who could otherwise feed each other
 * compiled code.
 */
const cacheDir = join(tmpdir(), `ccai-sim-${String(process.getuid?.() ?? 'user')}`)

const { enableCompileCache } = nodeModule as {
  enableCompileCache?: (directory: string) => unknown
}
if (!cacheDirIsOurs()) {
  nodeModule.createRequire(bundlePath)(bundlePath)
} else if (typeof enableCompileCache === 'function') {
  enableCompileCache(cacheDir)
  nodeModule.createRequire(bundlePath)(bundlePath)
} else if (process.sourceMapsEnabled) {
  // `--enable-source-maps`: Node 20 maps the stack traces of the modules it loads, not of a
  // `vm.Script`, so the bundle is loaded as a module, without a code cache.
  nodeModule.createRequire(bundlePath)(bundlePath)
} else {
  runWithCodeCache()
}

/**
 * Node 20: compiles the bundle with the cache written by an earlier start of the same command, and
 * (when there was none, or V8 rejected it) writes one when the process exits: by then it holds the
 * functions that command compiled on its way, not only the bundle's top level. One cache per
 * command, so `ccai-sim --version` run first does not leave `serve` a cache of its top level only.
 */
function runWithCodeCache(): void {
  // Latin-1, which is the bundle's text exactly: the build checks it is ASCII only. Node 20 turns a
  // file into a string from Latin-1 by copying its bytes, from UTF-8 about twice as slowly (V8
  // checks and counts every character): ~10 ms of the start for this 1.8 MB file.
  const source = readFileSync(bundlePath, 'latin1')
  const command = process.argv[2] ?? ''
  const cacheFile = join(
    cacheDir,
    `${process.version}-${process.arch}-${__CCAI_BIN_BUNDLE_HASH__}-${/^[a-z][a-z-]{0,31}$/.test(command) ? command : 'other'}.v8-cache`,
  )
  let cachedData: Buffer | undefined
  try {
    cachedData = readFileSync(cacheFile)
  } catch {
    // No cache yet (or unreadable): compile from source and write one at exit.
  }
  const script = new vm.Script(`${WRAPPER_HEAD}${source}\n})`, {
    filename: bundlePath,
    lineOffset: -1,
    ...(cachedData === undefined ? {} : { cachedData }),
  })
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => {
      writeCache(cacheFile, script)
    })
  }
  const run = script.runInThisContext() as (...args: unknown[]) => void
  const module = { exports: {} }
  run.call(
    module.exports,
    module.exports,
    nodeModule.createRequire(bundlePath),
    module,
    bundlePath,
    dirname(bundlePath),
  )
}

/**
 * The cache folder, made if missing, is a real folder of this user that no one else may write to:
 * V8 trusts a code cache it accepts, so one planted by another user of a shared temporary folder
 * would run as this user. Otherwise the CLI runs without a cache.
 */
function cacheDirIsOurs(): boolean {
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 })
    const folder = lstatSync(cacheDir)
    const uid = process.getuid?.()
    return (
      folder.isDirectory() &&
      (uid === undefined || folder.uid === uid) &&
      (folder.mode & 0o022) === 0
    )
  } catch {
    return false
  }
}

/** Write to a temporary name, then rename: a concurrent start never reads half a cache. */
function writeCache(cacheFile: string, script: vm.Script): void {
  try {
    const partial = `${cacheFile}.${String(process.pid)}`
    writeFileSync(partial, script.createCachedData(), { mode: 0o600 })
    renameSync(partial, cacheFile)
  } catch {
    // A read-only or full disk: the next start compiles from source again.
  }
}
