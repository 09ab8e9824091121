// What both CLIs (ccai-sim and ccai-contract) share: flag errors in our own words, the version, a
// closed pipe, and a progress line. Only node: imports, so loading it costs nothing at start-up.
import { existsSync, readFileSync } from 'node:fs'

/** Levenshtein distance; the flags and command names it compares are a few characters long. */
export function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i]
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      )
    }
    previous = current
  }
  return previous[b.length] ?? 0
}

/**
 * The candidate nearest to `name` when it is plausibly a slip (the same but for letter case, within
 * a third of its length, at least 2 edits, or a prefix), else undefined.
 */
export function nearestName(name: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; score: number } | undefined
  const lower = name.toLowerCase()
  for (const candidate of candidates) {
    const score =
      candidate.toLowerCase() === lower
        ? 0
        : candidate.startsWith(name)
          ? 0.5
          : distance(name, candidate)
    if (best === undefined || score < best.score) best = { candidate, score }
  }
  if (best === undefined) return undefined
  return best.score <= Math.max(2, Math.floor(name.length / 3)) ? best.candidate : undefined
}

/** `; did you mean <nearest>?` when a candidate is near `name` (see `nearestName`), else ''. */
export function didYouMean(name: string, candidates: readonly string[]): string {
  const near = nearestName(name, candidates)
  return near === undefined ? '' : `; did you mean ${near}?`
}

/** The `--flags` a usage text documents, in order of appearance. */
export function flagsOf(usage: string): string[] {
  return [...new Set(usage.match(/--[a-z][a-z0-9-]*/g) ?? [])]
}

/**
 * `util.parseArgs` errors in our words: which flag, what was expected and what came, and the
 * nearest known flag. `args` are the command's arguments (to name the value an ambiguous flag saw).
 * Returns undefined for anything that is not a parseArgs error.
 */
export function describeArgsError(
  error: unknown,
  usage: string,
  args: readonly string[],
): string | undefined {
  if (!(error instanceof TypeError) || !('code' in error)) return undefined
  const code = String(error.code)
  if (!code.startsWith('ERR_PARSE_ARGS')) return undefined
  const known = flagsOf(usage)
  // parseArgs quotes the flag: "Unknown option '--prot'", "Option '--port <value>' argument …".
  const quoted = /'([^']+)'/.exec(error.message)?.[1] ?? ''
  const flag = /--?[\w-]+/.exec(quoted)?.[0] ?? quoted
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': {
      const near = nearestName(flag, known)
      return near === undefined
        ? `${flag}: unknown option (known: ${known.join(', ') || 'none'})`
        : `${flag}: unknown option; did you mean ${near}?`
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      if (/ambiguous/.test(error.message)) {
        const value = args[args.indexOf(flag) + 1] ?? ''
        return `${flag}: expected a value, received the option-like "${value}"; write ${flag}=${value} if that is the value`
      }
      if (/does not take an argument/.test(error.message))
        return `${flag}: expected no value (it is a switch), received one`
      return `${flag}: expected a value, received nothing`
    }
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `"${quoted}": unexpected argument (this command takes options only)`
    default:
      return error.message
  }
}

/**
 * The version in the nearest package.json above `fromModule`: src/cli/ in the repository, dist/cli/
 * or a bundle chunk in a published package.
 */
export function packageVersion(fromModule: string): string {
  let folder = new URL('./', fromModule)
  for (let depth = 0; depth < 6; depth += 1) {
    const candidate = new URL('package.json', folder)
    if (existsSync(candidate)) {
      return (JSON.parse(readFileSync(candidate, 'utf8')) as { version: string }).version
    }
    folder = new URL('../', folder)
  }
  throw new Error(`no package.json above ${fromModule}`)
}

/**
 * A reader that stops early (`| head`) closes the pipe: that ends the output, not in an error.
 * Exits 0 at once so a long run does not keep producing lines nobody reads.
 */
export function endQuietlyOnClosedPipe(stream: NodeJS.WriteStream = process.stdout): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0)
    throw error
  })
}

/** A one-line progress report on stderr, redrawn in place, at most every `intervalMs`. */
export interface Progress {
  /** Records how far the run is; redraws when the interval has passed. */
  update(done: number, total?: number): void
  /** Removes the line (call before printing anything else to the terminal, and at the end). */
  clear(): void
}

const NO_PROGRESS: Progress = {
  update() {
    /* not a terminal: no progress line */
  },
  clear() {
    /* nothing drawn */
  },
}

/**
 * A progress line for long runs; a no-op unless `enabled` (the CLIs pass "stdout is a terminal", so
 * pipes, files and CI logs never receive it). `now` is injectable for tests.
 */
export function createProgress(options: {
  readonly enabled: boolean
  readonly label: string
  readonly write: (text: string) => void
  readonly intervalMs?: number
  readonly now?: () => number
}): Progress {
  if (!options.enabled) return NO_PROGRESS
  const now = options.now ?? (() => performance.now())
  const interval = options.intervalMs ?? 200
  let last = Number.NEGATIVE_INFINITY
  let shown = false
  return {
    update(done, total) {
      const at = now()
      if (at - last < interval) return
      last = at
      shown = true
      const of = total === undefined ? '' : `/${total} (${Math.floor((done / total) * 100)}%)`
      options.write(`\r\u001b[K${options.label} ${done}${of}`)
    },
    clear() {
      if (!shown) return
      shown = false
      options.write('\r\u001b[K')
    },
  }
}
