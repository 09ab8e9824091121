// The packages as a stranger gets them: build, pack each publishable package the way `pnpm publish`
// does, lint the tarballs (publint, arethetypeswrong), then install them with npm into scratch
// projects and run the CLIs, an ESM import and a TypeScript import. Exits 1 on the first failure.
//
// Installs (see the README's "Development" section):
// - alone: @ccai-sim/schemas from its tarball, everything else (zod) from the npm registry;
// - together: the four tarballs (the workspace siblings are not on the registry, so each comes from
//   its own tarball) plus the registry versions of every third-party dependency.
import { execFile, spawn } from 'node:child_process'
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { createInterface } from 'node:readline'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'
import { runInNewContext } from 'node:vm'
import { build } from 'esbuild'

const run = promisify(execFile)
const ROOT = resolve(import.meta.dirname, '..', '..')
const BIN = join(import.meta.dirname, 'node_modules', '.bin')
const PACKAGES = ['schemas', 'fixtures', 'simulator', 'contract-tests'] as const
type PackageDir = (typeof PACKAGES)[number]

/** Versions the scratch projects install from the registry, pinned like the workspace's catalog. */
async function catalogVersion(name: string): Promise<string> {
  const yaml = await readFile(join(ROOT, 'pnpm-workspace.yaml'), 'utf8')
  const quoted = name.startsWith('@') ? `'${name}'` : name
  const line = yaml.split('\n').find((l) => l.trim().startsWith(`${quoted}:`))
  const version = line?.split(':')[1]?.trim()
  if (!version) throw new Error(`pnpm-workspace.yaml: no catalog version for ${name}`)
  return version
}

async function step(title: string, work: () => Promise<string | undefined>): Promise<void> {
  const started = performance.now()
  // One line when the step ends: steps run side by side, so a line begun early would be cut.
  try {
    const detail = await work()
    const seconds = ((performance.now() - started) / 1000).toFixed(1)
    process.stdout.write(`pack-test: ${title} … ok (${seconds} s)${detail ? ` ${detail}` : ''}\n`)
  } catch (error) {
    process.stdout.write(`pack-test: ${title} … FAILED\n`)
    throw error
  }
}

/**
 * Like `Promise.all`, but waits for every piece before failing with the first failure: the scratch
 * folder is removed at the end, and must not be removed under a check still running.
 */
async function allOf(work: readonly Promise<unknown>[]): Promise<void> {
  const settled = await Promise.allSettled(work)
  const failed = settled.find(
    (result): result is PromiseRejectedResult => result.status === 'rejected',
  )
  if (failed !== undefined) {
    const reason: unknown = failed.reason
    throw reason instanceof Error ? reason : new Error(String(reason))
  }
}

/** pnpm must not switch versions (offline CI); npm warns about that pnpm-only setting, so drop it. */
function npmEnv(command: string): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env['npm_config_manage_package_manager_versions']
  if (command === 'pnpm') env['npm_config_manage_package_manager_versions'] = 'false'
  return env
}

async function sh(
  command: string,
  args: readonly string[],
  where: string | { readonly cwd: string; readonly env: NodeJS.ProcessEnv },
): Promise<{ stdout: string; stderr: string }> {
  const { cwd, env } = typeof where === 'string' ? { cwd: where, env: {} } : where
  try {
    return await run(command, [...args], {
      cwd,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...npmEnv(command), ...env },
    })
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string }
    throw new Error(
      `${command} ${args.join(' ')} (in ${cwd}) failed:\n${stdout ?? ''}\n${stderr ?? ''}`,
      { cause: error },
    )
  }
}

function expectEqual(what: string, actual: unknown, expected: unknown): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) {
    throw new Error(
      `${what}: expected ${JSON.stringify(expected)}, received ${JSON.stringify(actual)}`,
    )
  }
}

async function packAll(out: string): Promise<Record<PackageDir, string>> {
  const tarballs = {} as Record<PackageDir, string>
  // The packages are packed side by side: each waits mostly on its pnpm and npm processes.
  await Promise.all(PACKAGES.map((dir) => packOne(dir, out, tarballs)))
  return tarballs
}

async function packOne(
  dir: PackageDir,
  out: string,
  tarballs: Record<PackageDir, string>,
): Promise<void> {
  const cwd = join(ROOT, 'packages', dir)
  // pnpm pack is what `pnpm publish` uploads: it turns workspace:* and catalog: into versions.
  const { stdout } = await sh('pnpm', ['pack', '--json', '--pack-destination', out], cwd)
  const packed = JSON.parse(stdout) as { filename: string; files: { path: string }[] }
  // `npm pack` must ship the very same files (no publishConfig rewrite is involved any more).
  const npm = JSON.parse((await sh('npm', ['pack', '--dry-run', '--json'], cwd)).stdout) as {
    files: { path: string }[]
  }[]
  const names = (files: readonly { path: string }[]) => files.map((f) => f.path).sort()
  expectEqual(`${dir}: npm pack's file list`, names(npm[0]?.files ?? []), names(packed.files))
  for (const required of ['README.md', 'LICENSE', 'package.json', 'dist/index.js']) {
    if (!packed.files.some((f) => f.path === required))
      throw new Error(`${dir}: the tarball has no ${required}`)
  }
  tarballs[dir] = packed.filename
}

async function lintTarball(tarball: string, scratch: string): Promise<void> {
  await sh(join(BIN, 'attw'), [tarball, '--profile', 'esm-only', '--format', 'ascii'], scratch)
  const unpacked = await mkdtemp(join(scratch, 'publint-'))
  await sh('tar', ['xzf', tarball, '-C', unpacked], scratch)
  const { stdout } = await sh(
    join(BIN, 'publint'),
    [join(unpacked, 'package'), '--pack', 'false', '--strict'],
    scratch,
  )
  if (!stdout.includes('All good!')) throw new Error(`publint ${tarball}:\n${stdout}`)
}

async function scratchProject(parent: string, name: string): Promise<string> {
  const dir = join(parent, name)
  await mkdir(dir, { recursive: true })
  await writeFile(
    join(dir, 'package.json'),
    `${JSON.stringify({ name: `scratch-${name}`, private: true, type: 'module' }, null, 2)}\n`,
  )
  return dir
}

// --prefer-offline: registry metadata npm has cached is used without asking again (a miss still
// asks the registry); what gets installed is the same pinned versions either way.
const NPM_INSTALL = [
  'install',
  '--no-audit',
  '--no-fund',
  '--prefer-offline',
  '--loglevel=error',
] as const

async function alone(scratch: string, tarball: string): Promise<string | undefined> {
  const dir = await scratchProject(scratch, 'alone')
  await sh('npm', [...NPM_INSTALL, tarball], dir)
  const script = `
    import { CATALOG, checkContract } from '@ccai-sim/schemas'
    import { readFileSync } from 'node:fs'
    const index = JSON.parse(readFileSync(new URL(import.meta.resolve('@ccai-sim/schemas/json-schema/index.json')), 'utf8'))
    const example = CATALOG.find((c) => c.id === 'common.problem').examples[0].payload
    console.log(JSON.stringify({ contracts: CATALOG.length, schemas: index.contracts.length, ok: checkContract('common.problem', example).ok }))
  `
  const { stdout } = await sh(process.execPath, ['--input-type=module', '-e', script], dir)
  const result = JSON.parse(stdout) as { contracts: number; schemas: number; ok: boolean }
  if (result.contracts < 1 || result.schemas !== result.contracts || !result.ok)
    throw new Error(`@ccai-sim/schemas alone: unexpected ${stdout}`)
  return `(${result.contracts} contracts, zod from the registry)`
}

const TYPES_CHECK = `import { checkContract, type CheckResult } from '@ccai-sim/schemas'
import { buildContract } from '@ccai-sim/fixtures'
import { startSimulator, type SimulatorConfigInput } from '@ccai-sim/simulator'
import { createMockCrmHandlers } from '@ccai-sim/simulator/msw'
import { runStorageSuite, type SuiteResult } from '@ccai-sim/contract-tests'

const config: SimulatorConfigInput = { port: 0, clock: { mode: 'manual' } }
const checked: CheckResult<unknown> = checkContract('common.problem', buildContract('common.problem'))
export const used = [config, checked, startSimulator, createMockCrmHandlers, runStorageSuite]
export type Result = SuiteResult
// @ts-expect-error: the types are real, not any: a port is a number
export const wrong: SimulatorConfigInput = { port: 'eighty' }
`

/** Records every module URL the process resolves (ESM) into the file given as `data`. */
const RESOLVE_LOG_HOOK = `import { appendFileSync } from 'node:fs'
let log
export function initialize(file) { log = file }
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context)
  appendFileSync(log, result.url + '\\n')
  return result
}`

/** Logs every file `require` resolves (CommonJS), next to the ES module hook's URLs. */
const REQUIRE_LOG_PRELOAD = (log: string) => `const Module = require('node:module')
const { appendFileSync } = require('node:fs')
const resolveFilename = Module._resolveFilename
Module._resolveFilename = function (...args) {
  const resolved = resolveFilename.apply(this, args)
  appendFileSync(${JSON.stringify(log)}, resolved + '\\n')
  return resolved
}
`

/**
 * The compiled CLI's V8 code cache (dist/cli/bin.js, see the simulator's src/cli/launch.ts): the
 * first run of a command writes one to `<tmpdir>/ccai-sim-<uid>`, the next run uses it (it does not
 * rewrite it, which it does when V8 rejects a cache), and a damaged cache is rewritten. Node ≥ 22.1
 * keeps its own compile cache there instead (`module.enableCompileCache`): only its presence is
 * checked then.
 */
async function codeCacheIsWrittenThenUsed(dir: string, bin: string): Promise<string> {
  const tmp = await mkdtemp(join(dir, 'tmp-'))
  const cacheDir = join(tmp, `ccai-sim-${String(process.getuid?.() ?? 'user')}`)
  const catalog = async (): Promise<void> => {
    const { stdout } = await sh(bin, ['catalog'], { cwd: dir, env: { TMPDIR: tmp } })
    if (!stdout.includes('adapter.New_Call')) throw new Error(`ccai-sim catalog:\n${stdout}`)
  }
  await catalog()
  const written = await readdir(cacheDir).catch(() => [])
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    if (written.length === 0) throw new Error(`no compile cache in ${cacheDir}`)
    return 'Node compile cache written'
  }
  expectEqual(
    'code cache files after one `catalog`',
    written.filter((f) => f.endsWith('-catalog.v8-cache')).length,
    1,
  )
  const file = join(cacheDir, written.find((f) => f.endsWith('-catalog.v8-cache')) ?? '')
  const first = await stat(file)
  await catalog()
  const second = await stat(file)
  expectEqual(
    'code cache after a second run (inode, mtime: not rewritten, so accepted)',
    [second.ino, second.mtimeMs],
    [first.ino, first.mtimeMs],
  )
  await writeFile(file, 'not a V8 code cache')
  await catalog()
  const third = await stat(file)
  if (third.ino === first.ino || third.size < 1024)
    throw new Error(
      `a damaged code cache was not rewritten: ${String(third.size)} bytes (first ${String(first.size)})`,
    )
  return `code cache written (${String(Math.round(first.size / 1024))} KB), used, rewritten when damaged`
}

/**
 * `ccai-sim serve` from the installed tarball reaches its ready line and answers on its URL (a
 * session starts, the AsyncAPI document is served: what the bin loads on first use works), and
 * its process loads no Zod from node_modules: the bin carries its own copy of Zod (and Hono), so
 * loading the installed one as well would be a second Zod in one process.
 */
async function servesWithOneZod(dir: string): Promise<void> {
  const log = join(dir, 'resolved.log')
  const register = `import { register } from 'node:module'
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(RESOLVE_LOG_HOOK)}`)}, { data: ${JSON.stringify(log)} })`
  // The CLI's bundle is CommonJS (dist/cli/bin.bundle.cjs): its `require`s pass no ES module hook.
  const requireLog = join(dir, 'require-log.cjs')
  await writeFile(requireLog, REQUIRE_LOG_PRELOAD(log))
  const child = spawn(
    process.execPath,
    [
      '--require',
      requireLog,
      '--import',
      `data:text/javascript,${encodeURIComponent(register)}`,
      join(dir, 'node_modules', '@ccai-sim', 'simulator', 'bin', 'ccai-sim.js'),
      ...['serve', '--port', '0', '--clock', 'manual', '--no-email', '--no-storage'],
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'], env: npmEnv('node') },
  )
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | null>((done) => child.once('exit', done))
  try {
    const ready = await new Promise<string>((done, fail) => {
      createInterface({ input: child.stdout }).on('line', (line) => {
        if (line.startsWith('ccai-sim ready ')) done(line)
      })
      void exited.then((code) => {
        fail(new Error(`ccai-sim serve exited (${String(code)}) before its ready line:\n${stderr}`))
      })
    })
    const url = /ready (http\S+)/.exec(ready)?.[1]
    const answer = await fetch(`${url ?? ''}/_sim/clock`)
    await answer.arrayBuffer()
    expectEqual('ccai-sim serve: GET /_sim/clock', answer.status, 200)
    // What the bin loads on first use (fixtures' builders, the contract catalog) loads and works.
    const session = await fetch(`${url ?? ''}/_sim/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenario: 'inbound-ivr-call', seed: 5 }),
    })
    const started = (await session.json()) as { scenario?: unknown }
    expectEqual('ccai-sim serve: POST /_sim/sessions', session.status, 201)
    expectEqual('ccai-sim serve: the started scenario', started.scenario, 'inbound-ivr-call')
    const asyncApi = await fetch(`${url ?? ''}/asyncapi.json`)
    const document = (await asyncApi.json()) as { asyncapi?: unknown }
    expectEqual('ccai-sim serve: GET /asyncapi.json', asyncApi.status, 200)
    expectEqual('ccai-sim serve: the AsyncAPI version', document.asyncapi, '3.0.0')
  } finally {
    child.kill('SIGTERM')
    await exited
  }
  const resolved = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '')
  if (!resolved.some((url) => url.includes('/@ccai-sim/simulator/dist/cli/')))
    throw new Error(`ccai-sim serve: the resolve hook saw no CLI module:\n${resolved.join('\n')}`)
  const zods = resolved.filter((url) => /\/node_modules\/zod\//.test(url))
  if (zods.length > 0)
    throw new Error(`ccai-sim serve loaded the installed Zod besides its own:\n${zods.join('\n')}`)
}

/**
 * `@ccai-sim/fixtures` as a browser app's bundler takes it from the installed tarball (its
 * `browser` export), run where Node's globals are missing (no `process`, `Buffer` or `require`):
 * the builder's output must equal what Node makes from the same seed.
 */
async function fixturesInABrowserBundle(dir: string): Promise<void> {
  const call = `buildContract('crm.upload.request', undefined, { seed: 3 })`
  const result = await build({
    stdin: {
      contents: `import { buildContract } from '@ccai-sim/fixtures'\nglobalThis.out = JSON.stringify(${call})`,
      resolveDir: dir,
    },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'silent',
  })
  const sandbox: Record<string, unknown> = { TextEncoder, TextDecoder, btoa, atob, URL }
  runInNewContext(result.outputFiles[0]?.text ?? '', sandbox)
  const script = `import { buildContract } from '@ccai-sim/fixtures'\nconsole.log(JSON.stringify(${call}))`
  const inNode = (await sh(process.execPath, ['--input-type=module', '-e', script], dir)).stdout
  expectEqual('browser bundle of @ccai-sim/fixtures', sandbox['out'], inNode.trim())
}

/** The ESM import of every entry but ./vitest: a simulator starts, serves its console, checks. */
async function esmImports(dir: string): Promise<void> {
  const script = `
    import { buildContract } from '@ccai-sim/fixtures'
    import { checkContract } from '@ccai-sim/schemas'
    import { startSimulator } from '@ccai-sim/simulator'
    import { createMockCrmHandlers } from '@ccai-sim/simulator/msw'
    import { runStorageSuite } from '@ccai-sim/contract-tests'
    const sim = await startSimulator({ config: { port: 0, clock: { mode: 'manual' }, storage: { enabled: false }, email: { enabled: false } } })
    const answer = await fetch(sim.url + '/_sim/clock')
    // The console's TypeScript client is baked into dist/ (no bundler is installed here).
    const home = await fetch(sim.url + '/')
    const page = await home.text()
    await sim.close()
    const value = buildContract('adapter.New_Call', undefined, { seed: 3 })
    console.log(JSON.stringify({ clock: answer.status, console: home.status === 200 && (page.split('<script>')[1] ?? '').includes('function loadSession('), valid: checkContract('adapter.New_Call', value, { mode: 'strict' }).ok, handlers: typeof createMockCrmHandlers, suite: typeof runStorageSuite }))
  `
  const { stdout } = await sh(process.execPath, ['--input-type=module', '-e', script], dir)
  expectEqual('ESM import', JSON.parse(stdout), {
    clock: 200,
    console: true,
    valid: true,
    handlers: 'function',
    suite: 'function',
  })
}

/** The TypeScript import of every entry but ./vitest: real types, not any. */
async function typescriptImports(dir: string, tsc: string): Promise<void> {
  await writeFile(join(dir, 'check.ts'), TYPES_CHECK)
  await writeFile(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        target: 'es2023',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      files: ['check.ts'],
    }),
  )
  await sh(tsc, ['-p', 'tsconfig.json'], dir)
}

async function together(
  scratch: string,
  tarballs: Record<PackageDir, string>,
): Promise<string | undefined> {
  const dir = await scratchProject(scratch, 'together')
  const registry = [
    `msw@${await catalogVersion('msw')}`,
    `typescript@${await catalogVersion('typescript')}`,
    `@types/node@${await catalogVersion('@types/node')}`,
  ]
  await sh('npm', [...NPM_INSTALL, ...PACKAGES.map((p) => tarballs[p]), ...registry], dir)
  const installed = await readdir(join(dir, 'node_modules'))
  // playwright-core is wanted: `ccai-contract page` drives the user's Chromium with it at run time
  // (the browser-free core; no browser is downloaded).
  for (const unwanted of ['tsx', 'esbuild', 'vitest', 'json-server']) {
    if (installed.includes(unwanted))
      throw new Error(`${unwanted} was installed: it must not be a runtime dependency`)
  }
  const bin = (name: string) => join(dir, 'node_modules', '.bin', name)
  // The checks below are independent (each its own processes and files; the code cache test has
  // its own TMPDIR), so they run side by side: most of their time is Node starting up.
  const version = sh(bin('ccai-sim'), ['--version'], dir).then(({ stdout }) => {
    expectEqual('ccai-sim --version', stdout.trim(), 'ccai-sim 0.1.0')
    return stdout.trim()
  })
  const codeCache = codeCacheIsWrittenThenUsed(dir, bin('ccai-sim'))
  await allOf([
    version,
    codeCache,
    sh(bin('ccai-contract'), ['--help'], dir).then(({ stdout: help }) => {
      if (!help.startsWith('Usage: ccai-contract'))
        throw new Error(`ccai-contract --help:\n${help}`)
    }),
    esmImports(dir),
    servesWithOneZod(dir),
    fixturesInABrowserBundle(dir),
    // The CLI carries fixtures' code; faker, which it loads on first use, comes from node_modules.
    sh(bin('ccai-sim'), ['fixtures', 'adapter.New_Call', '--count', '1'], dir).then(
      ({ stdout: fixture }) => {
        if (!fixture.includes('"New_Call"')) throw new Error(`ccai-sim fixtures:\n${fixture}`)
      },
    ),
    typescriptImports(dir, bin('tsc')),
  ])
  return `(${await version}; ${await codeCache}; serve ready with one Zod; ESM and TypeScript imports of every entry but ./vitest; fixtures bundled for a browser)`
}

const scratch = await mkdtemp(join(tmpdir(), 'ccai-sim-pack-test-'))
try {
  await step('pnpm build', async () => {
    await sh('pnpm', ['build', '--output-logs=errors-only'], ROOT)
    return undefined
  })
  let tarballs = {} as Record<PackageDir, string>
  await step('pack (pnpm pack; npm pack ships the same files)', async () => {
    tarballs = await packAll(scratch)
    return undefined
  })
  // The tarballs' lint and the two installs need nothing from each other: side by side (npm's
  // installs wait mostly on the disk and the registry, the checks on Node starting up).
  await allOf([
    step('publint --strict and attw --profile esm-only on each tarball', async () => {
      await Promise.all(PACKAGES.map((dir) => lintTarball(tarballs[dir], scratch)))
      return undefined
    }),
    step('npm install @ccai-sim/schemas alone', () => alone(scratch, tarballs.schemas)),
    step('npm install the four tarballs, run both CLIs, import them', () =>
      together(scratch, tarballs),
    ),
  ])
} catch (error) {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`)
  process.exitCode = 1
} finally {
  await rm(scratch, { recursive: true, force: true })
}
