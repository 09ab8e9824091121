import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { fileURLToPath } from 'node:url'
import { createInterface } from 'node:readline'

/** The real CLI entry, resolved from this file so the bench runs from any working directory. */
export const BIN_PATH = fileURLToPath(new URL('../bin/ccai-sim.js', import.meta.url))

const SERVE_ARGS = ['serve', '--port', '0', '--clock', 'manual', '--no-email', '--no-storage']
const READY_TIMEOUT_MS = 30_000
const EXIT_TIMEOUT_MS = 10_000

/** Every child still running; the exit hook below kills them if the bench dies half-way. */
const children = new Set<ChildProcess>()

process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL')
})
process.once('SIGINT', () => {
  for (const child of children) child.kill('SIGKILL')
  process.exit(130)
})

export interface StartupRun {
  /** From spawn to the first stdout line starting with `ccai-sim ready`. */
  readonly readyMs: number
  /**
   * The child's CPU time (user + system) when its ready line arrived, from `/proc/<pid>/stat`
   * (Linux; 10 ms ticks), or undefined elsewhere. Less sensitive than wall time to other work on a
   * shared machine, which slows both processes alike only in wall time.
   */
  readonly readyCpuMs: number | undefined
  /** From SIGTERM to the process's exit. */
  readonly stopMs: number
  readonly readyLine: string
}

/** The child's environment without the variables that would change what `serve` does. */
function childEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env }
  delete env['CCAI_SIM_CONFIG']
  delete env['PORT']
  return env
}

function waitForExit(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode })
  }
  return new Promise((resolve) => {
    child.once('exit', (code, signal) => {
      resolve({ code, signal })
    })
  })
}

function withTimeout<T>(work: Promise<T>, options: { ms: number; what: string }): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${options.what}: no answer within ${options.ms} ms`))
    }, options.ms)
  })
  return Promise.race([work, timeout]).finally(() => {
    clearTimeout(timer)
  })
}

/**
 * Asks the URL on the ready line for the clock. Besides proving the line's URL serves, an answer
 * proves the child has gone back to its event loop, so `serve` has installed its SIGTERM handler:
 * the CLI prints the line just before installing it, and a signal in between kills it outright.
 */
async function probe(readyLine: string): Promise<void> {
  const url = /ready (http\S+)/.exec(readyLine)?.[1]
  if (url === undefined) throw new Error(`no URL on the ready line: ${readyLine}`)
  const response = await fetch(`${url}/_sim/clock`, {
    signal: AbortSignal.timeout(EXIT_TIMEOUT_MS),
  })
  await response.arrayBuffer()
  if (!response.ok) throw new Error(`GET ${url}/_sim/clock: expected 200, got ${response.status}`)
}

/**
 * Spawns `ccai-sim serve` (port 0, manual clock, no email, no storage), times it to its ready line,
 * then stops it with SIGTERM and waits for a clean exit; the child is killed whatever happens.
 */
export function measureStartup(): Promise<StartupRun> {
  return measureReady({ args: [BIN_PATH, ...SERVE_ARGS], ready: 'ccai-sim ready' })
}

/** The compiled CLI, what a published package runs (`pnpm build` writes it). */
export const COMPILED_BIN_PATH = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url))

/** `ccai-sim serve` from the compiled output, as an installed package starts it. */
export function measureCompiledStartup(): Promise<StartupRun> {
  return measureReady({ args: [COMPILED_BIN_PATH, ...SERVE_ARGS], ready: 'ccai-sim ready' })
}

/**
 * The reference: a bare node:http server that prints a ready line with its URL once listening,
 * answers every request with 200, and exits 0 on SIGTERM — the least any HTTP server process does.
 */
const BARE_SERVER = `
import { createServer } from 'node:http'
const server = createServer((request, response) => response.end('{}'))
server.listen(0, '127.0.0.1', () => {
  process.stdout.write('bare ready http://127.0.0.1:' + server.address().port + '\\n')
})
process.once('SIGTERM', () => server.close(() => process.exit(0)))
`

export function measureBareStartup(): Promise<StartupRun> {
  return measureReady({ args: ['--input-type=module', '-e', BARE_SERVER], ready: 'bare ready' })
}

/** `/proc/<pid>/stat`'s utime + stime in milliseconds (Linux, USER_HZ 100), or undefined. */
function cpuMsOf(pid: number | undefined): number | undefined {
  if (pid === undefined || process.platform !== 'linux') return undefined
  try {
    const stat = readFileSync(`/proc/${String(pid)}/stat`, 'utf8')
    // Fields after the command name (which may hold spaces) start with the state: utime and stime
    // are the 12th and 13th of them.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return undefined
  }
}

/**
 * Spawns `node <args>`, times it to the first stdout line starting with `ready`, checks the URL on
 * that line answers, then stops it with SIGTERM and waits for a clean exit; the child is killed
 * whatever happens.
 */
async function measureReady(options: {
  readonly args: readonly string[]
  readonly ready: string
}): Promise<StartupRun> {
  const startedAt = performance.now()
  const child = spawn(process.execPath, [...options.args], {
    cwd: tmpdir(),
    env: childEnv(),
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  children.add(child)
  let stderr = ''
  child.stderr.setEncoding('utf8')
  child.stderr.on('data', (chunk: string) => {
    stderr += chunk
  })
  const exited = waitForExit(child)
  try {
    const lines = createInterface({ input: child.stdout })
    const ready = new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        if (line.startsWith(options.ready)) resolve(line)
      })
      void exited.then(({ code, signal }) => {
        reject(
          new Error(
            `${options.ready}: the process exited (${String(code ?? signal)}) before its ready line:\n${stderr}`,
          ),
        )
      })
    })
    const readyLine = await withTimeout(ready, {
      ms: READY_TIMEOUT_MS,
      what: `${options.ready} line`,
    })
    const readyMs = performance.now() - startedAt
    const readyCpuMs = cpuMsOf(child.pid)
    lines.close()
    await probe(readyLine)
    const stoppingAt = performance.now()
    child.kill('SIGTERM')
    const { code, signal } = await withTimeout(exited, {
      ms: EXIT_TIMEOUT_MS,
      what: `${options.ready}: exit after SIGTERM`,
    })
    const stopMs = performance.now() - stoppingAt
    if (code !== 0) {
      throw new Error(
        `${options.ready}: expected exit 0 after SIGTERM, got ${String(code ?? signal)}:\n${stderr}`,
      )
    }
    return { readyMs, readyCpuMs, stopMs, readyLine }
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL')
      await exited
    }
    children.delete(child)
  }
}
