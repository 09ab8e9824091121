import { parseArgs } from 'node:util'
import {
  AGENT_SHIFT,
  builderFor,
  FixturesError,
  generateShift,
  generateStory,
  projectCrmVariables,
  projectSession,
  projectTranscript,
  SCENARIO_NAMES,
  SURFACES,
  type Emission,
  type PresenceChange,
  type SessionStory,
  type StorageFile,
} from '@ccai-sim/fixtures'
import { CATALOG, findContract } from '@ccai-sim/schemas'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'
import { createProgress, didYouMean } from './support.js'

/** Exports at least this long draw a progress line (on a terminal). */
const PROGRESS_FROM = 1_000

export const FIXTURES_USAGE = `Usage: ccai-sim fixtures <contract-id> [--seed N] [--count K] [--ref-date ISO]

Prints K values of the contract as JSON Lines, each valid in strict mode. Value i is built with
seed N+i, so any one can be rebuilt alone: buildContract(id, undefined, { seed: N + i }).
  --seed <n>       first seed (default 1)
  --count <k>      how many (default 1, at most 100000)
  --ref-date <iso> "now" for generated timestamps (default 2026-01-15T15:00:00.000Z)`

export const STORY_USAGE = `Usage: ccai-sim story <scenario> [--seed N] [--surface S] [--ref-date ISO] [--format json|txt]

Generates one session and prints its projections as JSON Lines (time order). Scenarios:
  ${SCENARIO_NAMES.join(', ')}
  ${AGENT_SHIFT}: a whole shift of one agent (log in, several sessions, a break, log out)
  --surface <s>    one of ${SURFACES.join(', ')}, or timeline (default: every emission and file)
  --format txt     with --surface transcript: the TXT transcript instead of the JSON
Exit codes: 0 printed, 2 bad usage.`

function intFlag(
  name: string,
  value: string | undefined,
  range: { min: number; max: number },
): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < range.min || n > range.max) {
    throw new UsageError(
      `--${name}: expected an integer from ${range.min} to ${range.max}, received "${value}"`,
    )
  }
  return n
}

function refDateFlag(value: string | undefined): string | undefined {
  if (value !== undefined && !Number.isFinite(Date.parse(value))) {
    throw new UsageError(`--ref-date: expected an ISO 8601 date-time, received "${value}"`)
  }
  return value
}

export function runFixtures(args: readonly string[], io: CliIo): ExitCode {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      count: { type: 'string' },
      'ref-date': { type: 'string' },
    },
  })
  const [id, ...extra] = positionals
  if (id === undefined)
    throw new UsageError('fixtures needs a contract id (`ccai-sim catalog` lists them)')
  if (extra.length > 0)
    throw new UsageError(`fixtures takes one contract id, got ${positionals.length}`)
  if (!findContract(id))
    throw new UsageError(
      `contract: no contract with id "${id}"${didYouMean(
        id,
        CATALOG.map((c) => c.id),
      )} (\`ccai-sim catalog\` lists them)`,
    )
  const seed = intFlag('seed', values.seed, { min: 0, max: 2 ** 31 }) ?? 1
  const count = intFlag('count', values.count, { min: 1, max: 100_000 }) ?? 1
  const refDate = refDateFlag(values['ref-date'])
  const build = builderFor(id)
  // Long exports show how far they are (stderr, terminals only); each line first clears it.
  const progress = createProgress({
    enabled: (io.stdoutIsTerminal ?? false) && count >= PROGRESS_FROM,
    label: `ccai-sim fixtures ${id}:`,
    write: io.stderr,
  })
  for (let i = 0; i < count; i += 1) {
    const value = build(undefined, { seed: seed + i, ...(refDate ? { refDate } : {}) })
    progress.clear()
    io.stdout(`${JSON.stringify(value)}\n`)
    progress.update(i + 1, count)
  }
  progress.clear()
  return EXIT.ok
}

function line(emission: Emission): string {
  const { at, ...rest } = emission
  return JSON.stringify({ at: new Date(at).toISOString(), ...rest })
}

/** A storage file as `story` prints it: where and what, not the content. */
function fileLine(f: StorageFile, surface: 'storage' | null): string {
  return JSON.stringify({
    at: new Date(f.at).toISOString(),
    ...(surface === null ? {} : { surface }),
    path: f.path,
    contentType: f.contentType,
    ...(surface === null ? { contract: f.contract ?? null } : {}),
    bytes: typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength,
  })
}

/** What `story` prints: one session's story, or the sessions and presence of a shift. */
interface Printed {
  readonly stories: readonly SessionStory[]
  readonly presence: readonly PresenceChange[] | null
}

function generate(scenario: string, seed: number, refDate: string | undefined): Printed {
  const dated = refDate ? { refDate } : {}
  try {
    if (scenario === AGENT_SHIFT) {
      const shift = generateShift({ seed, ...dated })
      return { stories: shift.stories, presence: shift.presence }
    }
    return { stories: [generateStory(scenario, { seed, ...dated })], presence: null }
  } catch (error) {
    if (error instanceof FixturesError)
      throw new UsageError(error.message.replace(/^\[fixtures\] /, ''))
    throw error
  }
}

const byTime = <T extends { readonly at: number }>(items: readonly T[]): T[] =>
  [...items].sort((a, b) => a.at - b.at)

export function runStory(args: readonly string[], io: CliIo): ExitCode {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      seed: { type: 'string' },
      surface: { type: 'string' },
      'ref-date': { type: 'string' },
      format: { type: 'string' },
    },
  })
  const [scenario, ...extra] = positionals
  const names = [...SCENARIO_NAMES, AGENT_SHIFT]
  if (scenario === undefined) throw new UsageError(`story needs a scenario: ${names.join(', ')}`)
  if (extra.length > 0) throw new UsageError(`story takes one scenario, got ${positionals.length}`)
  if (!names.includes(scenario)) {
    throw new UsageError(`scenario: expected one of ${names.join(', ')}, received "${scenario}"`)
  }
  const surface = values.surface
  if (
    surface !== undefined &&
    surface !== 'timeline' &&
    !(SURFACES as readonly string[]).includes(surface)
  ) {
    throw new UsageError(
      `--surface: expected one of ${SURFACES.join(', ')}, timeline; received "${surface}"`,
    )
  }
  if (values.format !== undefined && values.format !== 'json' && values.format !== 'txt') {
    throw new UsageError(`--format: expected json or txt, received "${values.format}"`)
  }
  if (values.format === 'txt' && surface !== 'transcript')
    throw new UsageError('--format txt: only with --surface transcript')
  const seed = intFlag('seed', values.seed, { min: 0, max: 2 ** 31 }) ?? 1
  const refDate = refDateFlag(values['ref-date'])
  const { stories, presence } = generate(scenario, seed, refDate)
  const shift = presence !== null
  const projections = stories.map((story) => projectSession(story))
  // One session keeps its own order; a shift's sessions merge by time (a stable sort).
  const emissions = byTime(projections.flatMap((p) => p.emissions))
  const files = byTime(projections.flatMap((p) => p.files))
  const print = (text: string): void => {
    io.stdout(`${text}\n`)
  }
  switch (surface) {
    case undefined: {
      // Everything in time order, as the README says: a file comes after what happened before it
      // (the transcript seconds after the end, the metadata file ~15 minutes later).
      const printed = byTime([
        ...emissions.map((e) => ({ at: e.at, text: line(e) })),
        ...files.map((f) => ({ at: f.at, text: fileLine(f, 'storage') })),
      ])
      for (const p of printed) print(p.text)
      break
    }
    case 'timeline': {
      // A shift's lines name their session, and its presence changes (the break) come in between.
      const steps = stories.flatMap((story) =>
        story.steps.map((step) => ({ ...step, ...(shift ? { sessionId: story.id } : {}) })),
      )
      const entries = [
        ...steps,
        ...(presence ?? []).map((p) => ({ kind: 'presence' as const, ...p })),
      ]
      for (const s of shift ? byTime(entries) : entries)
        print(JSON.stringify({ ...s, at: new Date(s.at).toISOString() }))
      break
    }
    case 'storage':
      for (const f of files) print(fileLine(f, null))
      break
    case 'crm-variables':
      for (const story of stories) print(JSON.stringify(projectCrmVariables(story)))
      break
    case 'transcript': {
      const transcripts = stories.flatMap((story) => {
        const transcript = projectTranscript(story)
        return transcript ? [transcript] : []
      })
      // Asking a call for a chat transcript is bad usage (exit 2), not an empty success.
      if (transcripts.length === 0) {
        throw new UsageError(
          `--surface transcript: ${scenario} is a call; only chats have a transcript`,
        )
      }
      for (const transcript of transcripts) {
        if (values.format === 'txt')
          io.stdout(transcript.txt.endsWith('\n') ? transcript.txt : `${transcript.txt}\n`)
        else print(line(transcript.json))
      }
      break
    }
    case 'email': {
      const emails = projections.flatMap((p) => (p.email ? [p.email] : []))
      for (const email of emails) print(line(email))
      if (emails.length === 0)
        io.stderr(
          `ccai-sim story: no outcome email for this session (only finished sessions send one)\n`,
        )
      break
    }
    default:
      for (const e of emissions) if (e.surface === surface) print(line(e))
  }
  return EXIT.ok
}
