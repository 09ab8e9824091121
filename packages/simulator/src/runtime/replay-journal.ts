import { projectSession, type ProjectSessionOptions } from '@ccai-sim/fixtures'
import { z } from 'zod'
import { compareEmissions } from './compare-emissions.js'
import { replayInputs } from './simulator-runtime.js'

/*
 * `ccai-sim replay <journal>`: sessions re-run from the inputs a journal recorded (the scenario's
 * script, agents' commands, API clients' calls, the CRM's answers, timers), through the pure machine
 * and the projections, with no I/O; each replayed emission is compared byte for byte with the one
 * the journal says was published. The journal is what `GET /_sim/journal` answers (a JSON page) or
 * its entries as JSON Lines.
 */

const SessionStartedSchema = z.object({
  type: z.literal('session-started'),
  at: z.number(),
  sessionId: z.int(),
  scenario: z.string(),
  seed: z.int(),
  index: z.int().optional(),
  params: z.record(z.string(), z.unknown()).optional(),
  agent: z.enum(['scripted', 'manual']).optional(),
  overrides: z.record(z.string(), z.unknown()).optional(),
})

const InputEntrySchema = z.object({
  type: z.literal('input'),
  at: z.number(),
  sessionId: z.int(),
  input: z.looseObject({ type: z.string(), at: z.number() }),
})

const EmittedEntrySchema = z.object({
  type: z.literal('emitted'),
  at: z.number(),
  sessionId: z.int(),
  surface: z.string(),
  contract: z.string(),
  key: z.string(),
  payload: z.unknown(),
})

/** One entry of a journal: only `type` is required; the types replay reads are checked in full. */
const EntrySchema = z.looseObject({ type: z.string(), seq: z.int().optional() })

/** A journal that cannot be read: the message names the line (or entry) and what was wrong. */
export class JournalFormatError extends Error {
  override readonly name = 'JournalFormatError'
}

/** The entries of a journal text: a `GET /_sim/journal` page, a JSON array, or JSON Lines. */
export function parseJournal(text: string, source = 'journal'): Record<string, unknown>[] {
  const trimmed = text.trim()
  if (trimmed === '') throw new JournalFormatError(`${source}: empty (expected journal entries)`)
  let raw: unknown[]
  if (!trimmed.includes('\n') || trimmed.startsWith('[')) {
    const whole = parseJson(trimmed, source)
    const entries = (whole as { entries?: unknown }).entries
    raw = Array.isArray(whole) ? whole : Array.isArray(entries) ? entries : [whole]
  } else {
    // A pretty-printed page or array is one document; otherwise one entry per line (JSON Lines).
    let whole: unknown
    try {
      whole = JSON.parse(trimmed) as unknown
    } catch {
      whole = undefined
    }
    const entries = (whole as { entries?: unknown } | undefined)?.entries
    if (Array.isArray(whole)) raw = whole
    else if (Array.isArray(entries)) raw = entries
    else {
      raw = []
      trimmed.split('\n').forEach((line, i) => {
        if (line.trim() !== '') raw.push(parseJson(line, `${source}:${i + 1}`))
      })
    }
  }
  return raw.map((entry, i) => {
    const parsed = EntrySchema.safeParse(entry)
    if (!parsed.success) {
      throw new JournalFormatError(
        `${source}: entry ${i + 1}: expected an object with a string "type", received ${JSON.stringify(entry)?.slice(0, 80) ?? String(entry)}`,
      )
    }
    return parsed.data
  })
}

function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    throw new JournalFormatError(`${where}: not JSON (${(error as Error).message})`)
  }
}

/** What replaying one session found. */
export interface SessionReplay {
  readonly sessionId: number
  readonly scenario: string
  readonly seed: number
  readonly inputs: number
  /** Emissions the journal recorded for the session (compared one by one). */
  readonly emissions: number
  readonly identical: boolean
  /** Why the session could not be replayed, or where the first difference is. */
  readonly problem?: string
  readonly firstDifference?: {
    readonly index: number
    readonly journal: string | null
    readonly replayed: string | null
  }
}

export interface ReplayJournalOptions {
  /** The outcome-email settings the simulator ran with (they shape the email emissions). */
  readonly email?: ProjectSessionOptions['email']
  /** Only these sessions. */
  readonly sessions?: readonly number[]
}

/** Replays every session a journal started (or the ones asked for), in session order. */
export function replayJournal(
  entries: readonly Record<string, unknown>[],
  options: ReplayJournalOptions = {},
): SessionReplay[] {
  const started = new Map<number, z.output<typeof SessionStartedSchema>>()
  const inputs = new Map<number, z.output<typeof InputEntrySchema>['input'][]>()
  const emitted = new Map<number, z.output<typeof EmittedEntrySchema>[]>()
  const seen = new Set<number>()
  entries.forEach((entry, i) => {
    const check = <T>(schema: z.ZodType<T>): T => {
      const parsed = schema.safeParse(entry)
      if (parsed.success) return parsed.data
      const issue = parsed.error.issues[0]
      throw new JournalFormatError(
        `entry ${i + 1} (${String(entry['type'])}): ${issue?.path.join('.') || '(entry)'}: ${issue?.message ?? 'invalid'}`,
      )
    }
    if (entry['type'] === 'reset') {
      // A reset forgets every session: ids start again after it.
      started.clear()
      inputs.clear()
      emitted.clear()
      seen.clear()
    } else if (entry['type'] === 'session-started') {
      const s = check(SessionStartedSchema)
      started.set(s.sessionId, s)
      seen.add(s.sessionId)
    } else if (entry['type'] === 'input') {
      const s = check(InputEntrySchema)
      seen.add(s.sessionId)
      inputs.set(s.sessionId, [...(inputs.get(s.sessionId) ?? []), s.input])
    } else if (entry['type'] === 'emitted') {
      const s = check(EmittedEntrySchema)
      // Presence emissions (session 0) belong to the roster, not to a session's machine.
      if (s.sessionId === 0) return
      seen.add(s.sessionId)
      emitted.set(s.sessionId, [...(emitted.get(s.sessionId) ?? []), s])
    }
  })
  const wanted = options.sessions ?? [...seen].sort((a, b) => a - b)
  return wanted.map((sessionId): SessionReplay => {
    const start = started.get(sessionId)
    const published = emitted.get(sessionId) ?? []
    const recorded = inputs.get(sessionId) ?? []
    if (!start) {
      return {
        sessionId,
        scenario: '?',
        seed: 0,
        inputs: recorded.length,
        emissions: published.length,
        identical: false,
        problem: seen.has(sessionId)
          ? 'the journal does not hold its session-started entry (dropped by the bounded journal, or cut): it cannot be replayed'
          : 'no such session in the journal',
      }
    }
    if (start.index === undefined) {
      return {
        sessionId,
        scenario: start.scenario,
        seed: start.seed,
        inputs: recorded.length,
        emissions: published.length,
        identical: false,
        problem: 'its session-started entry has no index (a journal from before reactive sessions)',
      }
    }
    const { story } = replayInputs({
      scenario: start.scenario,
      seed: start.seed,
      index: start.index,
      startedAt: start.at,
      params: start.params as never,
      agent: start.agent ?? 'scripted',
      overrides: start.overrides ?? {},
      inputs: recorded as never,
    })
    const replayed = projectSession(story, options.email ? { email: options.email } : {}).emissions
    const result = compareEmissions(published, replayed)
    return {
      sessionId,
      scenario: start.scenario,
      seed: start.seed,
      inputs: recorded.length,
      emissions: published.length,
      identical: result.identical,
      ...(result.identical
        ? {}
        : { firstDifference: { index: result.index, journal: result.a, replayed: result.b } }),
    }
  })
}
