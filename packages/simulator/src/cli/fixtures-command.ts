import { parseArgs } from 'node:util'
import {
  builderFor,
  FixturesError,
  generateStory,
  projectCrmVariables,
  projectSession,
  projectTranscript,
  SCENARIO_NAMES,
  SURFACES,
  type Emission,
} from '@ccai-sim/fixtures'
import { findContract } from '@ccai-sim/schemas'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'
import { createProgress } from './support.js'

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
    throw new UsageError(`contract: no contract with id "${id}" (\`ccai-sim catalog\` lists them)`)
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
  if (scenario === undefined)
    throw new UsageError(`story needs a scenario: ${SCENARIO_NAMES.join(', ')}`)
  if (extra.length > 0) throw new UsageError(`story takes one scenario, got ${positionals.length}`)
  if (!SCENARIO_NAMES.includes(scenario)) {
    throw new UsageError(
      `scenario: expected one of ${SCENARIO_NAMES.join(', ')}, received "${scenario}"`,
    )
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
  let story
  try {
    story = generateStory(scenario, { seed, ...(refDate ? { refDate } : {}) })
  } catch (error) {
    if (error instanceof FixturesError)
      throw new UsageError(error.message.replace(/^\[fixtures\] /, ''))
    throw error
  }
  const projection = projectSession(story)
  const print = (text: string): void => {
    io.stdout(`${text}\n`)
  }
  switch (surface) {
    case undefined:
      for (const e of projection.emissions) print(line(e))
      for (const f of projection.files) {
        print(
          JSON.stringify({
            at: new Date(f.at).toISOString(),
            surface: 'storage',
            path: f.path,
            contentType: f.contentType,
            bytes:
              typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength,
          }),
        )
      }
      break
    case 'timeline':
      for (const s of story.steps) print(JSON.stringify({ ...s, at: new Date(s.at).toISOString() }))
      break
    case 'storage':
      for (const f of projection.files) {
        print(
          JSON.stringify({
            at: new Date(f.at).toISOString(),
            path: f.path,
            contentType: f.contentType,
            contract: f.contract ?? null,
            bytes:
              typeof f.content === 'string' ? Buffer.byteLength(f.content) : f.content.byteLength,
          }),
        )
      }
      break
    case 'crm-variables':
      print(JSON.stringify(projectCrmVariables(story)))
      break
    case 'transcript': {
      const transcript = projectTranscript(story)
      // Asking a call for a chat transcript is bad usage (exit 2), not an empty success.
      if (!transcript) {
        throw new UsageError(
          `--surface transcript: ${scenario} is a call; only chats have a transcript`,
        )
      }
      if (values.format === 'txt')
        io.stdout(transcript.txt.endsWith('\n') ? transcript.txt : `${transcript.txt}\n`)
      else print(line(transcript.json))
      break
    }
    case 'email':
      if (projection.email) print(line(projection.email))
      else
        io.stderr(
          `ccai-sim story: no outcome email for this session (only finished sessions send one)\n`,
        )
      break
    default:
      for (const e of projection.emissions) if (e.surface === surface) print(line(e))
  }
  return EXIT.ok
}
