import { spawn } from 'node:child_process'
import { closeSync, createWriteStream, existsSync, openSync, readSync } from 'node:fs'
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { cpus, loadavg, tmpdir, totalmem } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { buildContract } from '@ccai-sim/fixtures'
import { CATALOG, detectContract } from '@ccai-sim/schemas'

/*
 * `ccai-sim validate` throughput and memory (issue 18): a mixed JSON Lines file of 1,000,000
 * payloads built by the fixtures builders (every catalog contract, several seeds each, cycled), run
 * through the real binary as a child process pinned to one core (`taskset -c 0` when present), with
 * its resident memory sampled from /proc while it runs. In the same run, on the same file and the
 * same core, a plain Ajv loop: stream the lines, JSON.parse, validate against the exported tolerant
 * JSON Schema of the contract each line was built for (Ajv is told the contract; validate detects it).
 * A third child only reads and JSON.parses the file: the ceiling any checker has on this machine
 * at this moment. The reference loops read lines as validate does (bytes split on newlines, each
 * line decoded alone). Each child's CPU time (from /proc) is reported next to the wall clock: on
 * a shared machine the wall clock also counts other people's work. Target: ≥ 50,000 payloads/s, and memory that does not grow with the file (a 100,000-line file
 * for comparison). Run with `pnpm --filter @ccai-sim/simulator bench` or
 * `tsx bench/validate.bench.ts [--lines N]`.
 */

const HERE = dirname(fileURLToPath(import.meta.url))
const BIN = join(HERE, '..', 'bin', 'ccai-sim.js')
const JSON_SCHEMAS = join(HERE, '..', '..', 'schemas', 'json-schema', 'tolerant')
const SEEDS_PER_CONTRACT = 20
const TARGET = 50_000
const fmt = (value: number, digits = 0): string =>
  value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const mb = (kb: number): string => `${fmt(kb / 1024)} MB`

const { values: argv } = parseArgs({
  options: {
    lines: { type: 'string', default: '1000000' },
    'ajv-loop': { type: 'string' },
    'parse-loop': { type: 'string' },
  },
})

// ---- the reference loops, each run as its own child process ---------------------------------------

/**
 * The lines of a file, read as `validate` reads them (one reused 1 MiB buffer, split on newline
 * bytes, each line decoded alone), so the reference loops pay what validate pays to get a line.
 */
function* linesOf(file: string): Generator<string> {
  const fd = openSync(file, 'r')
  try {
    let buffer = Buffer.allocUnsafe(1 << 20)
    let start = 0
    let end = 0
    for (;;) {
      if (start > 0) {
        buffer.copy(buffer, 0, start, end)
        end -= start
        start = 0
      }
      if (end === buffer.length) {
        const larger = Buffer.allocUnsafe(buffer.length * 2)
        buffer.copy(larger, 0, 0, end)
        buffer = larger
      }
      const read = readSync(fd, buffer, end, buffer.length - end, null)
      end += read
      if (read === 0) {
        if (end > 0) yield buffer.toString('utf8', 0, end)
        return
      }
      const filled = buffer.subarray(0, end)
      for (let at = filled.indexOf(10, start); at !== -1; at = filled.indexOf(10, start)) {
        yield buffer.toString('utf8', start, at)
        start = at + 1
      }
    }
  } finally {
    closeSync(fd)
  }
}

const cpuSeconds = (since: NodeJS.CpuUsage): number => {
  const used = process.cpuUsage(since)
  return (used.user + used.system) / 1e6
}

async function ajvLoop(file: string): Promise<void> {
  const { Ajv2020 } = await import('ajv/dist/2020.js')
  const { default: addFormats } = await import('ajv-formats')
  const ids = JSON.parse(await readFile(`${file}.ids.json`, 'utf8')) as string[]
  const ajv = new Ajv2020({ strict: false, allErrors: true })
  addFormats(ajv)
  const byId = new Map<string, (value: unknown) => boolean>()
  for (const id of new Set(ids)) {
    const schema = JSON.parse(await readFile(join(JSON_SCHEMAS, `${id}.json`), 'utf8')) as object
    byId.set(id, ajv.compile(schema))
  }
  const validators = ids.map((id) => byId.get(id) ?? (() => false))
  const started = performance.now()
  const cpu = process.cpuUsage()
  let line = 0
  let passed = 0
  for (const text of linesOf(file)) {
    const validate = validators[line % validators.length]
    if (validate?.(JSON.parse(text))) passed += 1
    line += 1
  }
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(JSON.stringify({ lines: line, passed, seconds, cpu: cpuSeconds(cpu) }))
}

/** The floor: the same reading and JSON.parse, no checking at all. */
function parseLoop(file: string): void {
  const started = performance.now()
  const cpu = process.cpuUsage()
  let line = 0
  for (const text of linesOf(file)) {
    JSON.parse(text)
    line += 1
  }
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(JSON.stringify({ lines: line, passed: line, seconds, cpu: cpuSeconds(cpu) }))
}

if (argv['parse-loop'] !== undefined) {
  parseLoop(argv['parse-loop'])
  process.exit(0)
}

if (argv['ajv-loop'] !== undefined) {
  await ajvLoop(argv['ajv-loop'])
  process.exit(0)
}

// ---- the file --------------------------------------------------------------------------------

const benchStartedAt = performance.now()
const LINES = Number(argv.lines)
if (!Number.isInteger(LINES) || LINES < 1)
  throw new Error(`--lines: expected a count, got ${argv.lines}`)

interface Built {
  readonly id: string
  readonly line: string
}

const pool: Built[] = []
const misdetected: string[] = []
for (const contract of CATALOG) {
  for (let seed = 1; seed <= SEEDS_PER_CONTRACT; seed++) {
    const payload = buildContract(contract.id, undefined, { seed })
    const detected = detectContract(payload)?.contract.id
    if (detected !== contract.id)
      misdetected.push(`${contract.id} seed ${String(seed)} → ${String(detected)}`)
    pool.push({ id: contract.id, line: JSON.stringify(payload) })
  }
}
// Interleave contracts, so neighbouring lines differ as in captured traffic.
const mixed = pool
  .map((built, i) => ({ built, key: (i * 7919) % pool.length }))
  .sort((a, b) => a.key - b.key)
  .map((entry) => entry.built)

async function writeJsonl(file: string, lines: number): Promise<number> {
  const out = createWriteStream(file)
  let bytes = 0
  let buffer = ''
  for (let i = 0; i < lines; i++) {
    buffer += `${mixed[i % mixed.length]?.line ?? '{}'}\n`
    if (buffer.length > 1 << 20) {
      bytes += Buffer.byteLength(buffer)
      if (!out.write(buffer))
        await new Promise<void>((resolve) =>
          out.once('drain', () => {
            resolve()
          }),
        )
      buffer = ''
    }
  }
  bytes += Buffer.byteLength(buffer)
  out.end(buffer)
  await new Promise<void>((resolve) =>
    out.once('finish', () => {
      resolve()
    }),
  )
  await writeFile(`${file}.ids.json`, JSON.stringify(mixed.map((built) => built.id)))
  return bytes
}

// ---- running a child on one core, sampling its memory -----------------------------------------

const PIN = existsSync('/usr/bin/taskset') ? ['/usr/bin/taskset', '-c', '0'] : []

interface ChildRun {
  readonly code: number | null
  readonly seconds: number
  readonly stdout: string
  /** Resident memory samples (kB), one every 100 ms. */
  readonly rss: readonly number[]
  /** CPU time (user + system) of the child, as last sampled before it exited (within 100 ms). */
  readonly cpu: number
}

const TICKS_PER_SECOND = 100

/** utime + stime from /proc/<pid>/stat, in seconds (fields 14 and 15, after the command name). */
function cpuOf(stat: string): number | undefined {
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  const ticks = Number(fields[11]) + Number(fields[12])
  return Number.isFinite(ticks) ? ticks / TICKS_PER_SECOND : undefined
}

function rssOf(status: string): number | undefined {
  const match = /VmRSS:\s+(\d+) kB/.exec(status)
  return match ? Number(match[1]) : undefined
}

async function runChild(args: readonly string[], stdoutToNull: boolean): Promise<ChildRun> {
  const [command, ...rest] = [...PIN, process.execPath, ...args]
  const devNull = stdoutToNull ? openSync('/dev/null', 'w') : undefined
  const started = performance.now()
  const child = spawn(command ?? process.execPath, rest, {
    stdio: ['ignore', devNull ?? 'pipe', 'pipe'],
  })
  const rss: number[] = []
  let cpu = 0
  const timer = setInterval(() => {
    if (child.pid === undefined) return
    readFile(`/proc/${String(child.pid)}/status`, 'utf8')
      .then((status) => {
        const kb = rssOf(status)
        if (kb !== undefined) rss.push(kb)
      })
      .catch(() => undefined)
    readFile(`/proc/${String(child.pid)}/stat`, 'utf8')
      .then((stat) => {
        cpu = Math.max(cpu, cpuOf(stat) ?? 0)
      })
      .catch(() => undefined)
  }, 100)
  let stdout = ''
  let stderr = ''
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString()
  })
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
  })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  clearInterval(timer)
  if (devNull !== undefined) closeSync(devNull)
  if (code !== 0 && code !== 1)
    throw new Error(`${args.join(' ')} exited ${String(code)}: ${stderr}`)
  return { code, seconds: (performance.now() - started) / 1000, stdout, rss, cpu }
}

// ---- the runs ------------------------------------------------------------------------------------

const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-validate-bench-'))
try {
  const small = join(dir, 'small.jsonl')
  const big = join(dir, 'mixed.jsonl')
  const tiny = join(dir, 'one.jsonl')
  const SMALL = Math.min(100_000, LINES)
  await writeJsonl(tiny, 1)
  await writeJsonl(small, SMALL)
  const bytes = await writeJsonl(big, LINES)
  console.log(
    `validate: ${fmt(LINES)}-line mixed JSONL (${fmt(bytes / 1024 ** 2)} MB; ${fmt(pool.length)} distinct payloads, ` +
      `${String(SEEDS_PER_CONTRACT)} seeds × ${String(CATALOG.length)} contracts, cycled)`,
  )
  if (misdetected.length > 0)
    console.log(
      `   note: ${String(misdetected.length)} built payloads detect as another contract: ${misdetected.slice(0, 3).join('; ')}`,
    )

  // Start-up alone (loading the catalog, tsx), to tell it from the checking.
  const startup = await runChild([BIN, 'validate', tiny], true)
  const smallRun = await runChild([BIN, 'validate', small], true)
  const bigRun = await runChild([BIN, 'validate', big], true)
  const ajvRun = await runChild(
    // The workspace packages from source, as this bench itself runs (dist/ may not be built).
    [
      '--conditions=@ccai-sim/source',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--ajv-loop',
      big,
    ],
    false,
  )
  const ajv = JSON.parse(ajvRun.stdout) as {
    lines: number
    passed: number
    seconds: number
    cpu: number
  }
  const parseRun = await runChild(
    [
      '--conditions=@ccai-sim/source',
      '--import',
      'tsx',
      fileURLToPath(import.meta.url),
      '--parse-loop',
      big,
    ],
    false,
  )
  const parsed = JSON.parse(parseRun.stdout) as { lines: number; seconds: number; cpu: number }

  const checking = Math.max(0.001, bigRun.seconds - startup.seconds)
  const rate = LINES / checking
  // On a shared machine the wall clock counts other people's work: CPU time is what the core spent.
  const cpuChecking = Math.max(0.001, bigRun.cpu - startup.cpu)
  const cpuRate = LINES / cpuChecking
  const ajvCpuRate = ajv.lines / Math.max(0.001, ajv.cpu)
  const parseCpuRate = parsed.lines / Math.max(0.001, parsed.cpu)
  const peak = (run: ChildRun): number => Math.max(0, ...run.rss)
  const at = (run: ChildRun, share: number): number =>
    run.rss[Math.min(run.rss.length - 1, Math.floor(run.rss.length * share))] ?? 0
  console.log(`                      per CPU second   per wall second`)
  console.log(
    `   ccai-sim validate  ${fmt(cpuRate).padStart(9)} /s     ${fmt(rate).padStart(9)} /s  (${fmt(bigRun.cpu, 1)} s CPU, ${fmt(bigRun.seconds, 1)} s wall; ` +
      `start-up ${fmt(startup.cpu, 1)} s CPU, ${fmt(startup.seconds, 1)} s wall, taken off; exit ${String(bigRun.code)}; default output to /dev/null)`,
  )
  console.log(
    `   Ajv loop           ${fmt(ajvCpuRate).padStart(9)} /s     ${fmt(ajv.lines / ajv.seconds).padStart(9)} /s  (${fmt(ajv.cpu, 1)} s CPU, ${fmt(ajv.seconds, 1)} s wall; told each line's contract; ` +
      `${fmt(ajv.passed)} of ${fmt(ajv.lines)} valid)`,
  )
  console.log(
    `   JSON.parse only    ${fmt(parseCpuRate).padStart(9)} /s     ${fmt(parsed.lines / parsed.seconds).padStart(9)} /s  (${fmt(parsed.cpu, 1)} s CPU, ${fmt(parsed.seconds, 1)} s wall; the same reading, no checking: the ceiling)`,
  )
  console.log(
    `   validate vs Ajv loop: ${fmt(cpuRate / ajvCpuRate, 2)} (CPU), ${fmt(rate / (ajv.lines / ajv.seconds), 2)} (wall); ` +
      `vs JSON.parse only: ${fmt(cpuRate / parseCpuRate, 2)} (CPU)`,
  )
  console.log(
    `   memory (RSS): ${fmt(SMALL)} lines peak ${mb(peak(smallRun))}; ${fmt(LINES)} lines peak ${mb(peak(bigRun))} ` +
      `(at 25% ${mb(at(bigRun, 0.25))}, 50% ${mb(at(bigRun, 0.5))}, 90% ${mb(at(bigRun, 0.9))}); Ajv loop peak ${mb(peak(ajvRun))}`,
  )
  console.log(
    `   target ≥ ${fmt(TARGET)} payloads/s on one core: ${rate >= TARGET ? 'met' : 'NOT met'} by the wall clock, ` +
      `${cpuRate >= TARGET ? 'met' : 'NOT met'} per CPU second; ` +
      `memory flat (1M peak within 25% of 100k peak): ${peak(bigRun) <= peak(smallRun) * 1.25 ? 'yes' : 'NO'}`,
  )
} finally {
  await rm(dir, { recursive: true, force: true })
}

const cpu = cpus()
console.log(
  `machine: node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'}, ${String(cpu.length)} cores, ` +
    `${fmt(totalmem() / 1024 ** 3, 1)} GB, load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}${PIN.length > 0 ? '; children pinned to core 0' : ''}`,
)
console.log(`bench took ${fmt((performance.now() - benchStartedAt) / 1000, 1)} s`)
