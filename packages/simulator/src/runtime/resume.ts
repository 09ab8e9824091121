import type { ScenarioParams, SessionInput } from '@ccai-sim/fixtures'
import type { VirtualClock } from '../clock/virtual-clock.js'
import type { LiveSession, SessionOverrides, SimulatorRuntime } from './simulator-runtime.js'

/*
 * Resuming live sessions after a restart (`kill -9` included), from the session-input log
 * (session-log.ts). Decisions, where the issue and the design left them open:
 *
 * - What is logged. A session is its start (scenario, seed, index, params, overrides, start time,
 *   run id) plus its inputs. The script's inputs and the machine's timers are reproducible from the
 *   start alone (same seed + inputs → byte-identical steps), so they are never logged: a scripted
 *   session costs one record when it starts and nothing per step. Only inputs from outside the
 *   script are logged — a client's command (control API, adapter page, Apps API, Harmony and
 *   Expertflow peers), routing's offers (they depend on who was available), and the CRM's answers
 *   (`crm.record`, `crm.none`) — each with how many of the session's due items had run and how
 *   many inputs it had applied before it, and whether it was applied inside another input's steps
 *   (the CRM-off answer and routing are), so the rebuild applies it at exactly the same point (on
 *   any clock: a count, not a time) and the projections number their emissions (the keys) the
 *   same. A recorded input the machine refuses on the rebuild (a log of another version) drops that
 *   session from the resume, journaled as `input-refused`, rather than resuming it differently.
 * - What was published. Each turn in which a session published, the log appends how many emissions
 *   it has published, after the webhook and mail outboxes have synced what they accepted in that
 *   turn: a mark never claims more than the outboxes hold. The rebuild regenerates every emission
 *   with its original key and skips those the mark counts; the rest are published at their due
 *   times. A crash between an outbox's sync and the mark's resends at most one turn's emissions,
 *   under their original keys with identical bodies (a receiver that deduplicates drops them).
 *   Written storage files are marked by path the same way; an unmarked one is written again with the
 *   same bytes.
 * - Keys. Every idempotency key is `<runId>:<emission key>`. A resumed session keeps the run id it
 *   started under (logged with its start), so its regenerated emissions carry their original keys;
 *   sessions started after the restart, and after a reset, take the new run id, so a fresh run of
 *   the same seed is new work to a receiver.
 * - The clock. Virtual time resumes where the log left it: at the latest virtual time it recorded
 *   (a start, an input, a mark), when that is later than where the clock would start. Time never
 *   goes back for a resumed session; with a `realtime` clock the outage has passed in virtual time
 *   too and what fell due meanwhile is published at once, at its original virtual times.
 * - The CRM. A recorded answer is replayed, never asked again. CRM actions of steps the session
 *   had taken before the restart are not sent again; a CRM flow that was set up before the restart
 *   is not resumed (its later comments, uploads and record update are not sent: the flow's own
 *   progress is not logged), while a session whose record setup comes after the restart runs its
 *   whole flow as usual.
 * - Agents. Presence is not logged: agents a resumed session involves are logged in again by the
 *   rebuild (under the new run id); a manual session waiting in the queue waits for an agent again.
 */

/** A session's start as logged: enough to recreate its script and its machine. */
export interface SessionStart {
  readonly scenario: string
  readonly seed: number
  readonly index: number
  readonly params: ScenarioParams
  readonly agent: 'scripted' | 'manual'
  readonly overrides: SessionOverrides
  readonly startedAt: number
  /** The run id it started under: the first part of its idempotency keys, kept on resume. */
  readonly run: string
}

/** An input from outside the script, where it was applied. */
export interface RecordedInput {
  /** How many inputs the session had applied before it. */
  readonly n: number
  /**
   * How many of its due items (script and timer inputs, payloads, files) had run before it: the
   * rebuild runs as many before applying it, so it lands where it did on any clock.
   */
  readonly d: number
  /** Applied inside another input's steps (routing, the CRM-off answer), not on its own. */
  readonly nested: boolean
  readonly input: SessionInput
}

/** A session the log holds as unfinished. */
export interface SavedSession {
  readonly id: number
  readonly start: SessionStart
  /** By position. */
  readonly inputs: readonly RecordedInput[]
  /** Emissions published (the first `emitted` in order), per the last mark. */
  readonly emitted: number
  /** Storage files written, by path. */
  readonly files: readonly string[]
  /** The latest virtual time the log knows the session reached. */
  readonly doneAt: number
}

/** A resuming session's progress through what it did before the restart (the runtime's driver). */
export interface ResumeState {
  /** Recorded inputs not applied yet, by position. */
  readonly inputs: RecordedInput[]
  skipEmissions: number
  readonly written: Set<string>
  readonly doneAt: number
  /** Its CRM flow was set up before the restart: not resumed. */
  crmSkipped: boolean
}

/** What the runtime tells the log (session-log.ts implements it). */
export interface SessionRecorder {
  started(session: LiveSession): void
  input(session: LiveSession, recorded: RecordedInput): void
  emitted(session: LiveSession): void
  fileWritten(session: LiveSession, path: string): void
  finished(session: LiveSession): void
  reset(): void
}

/** Where virtual time resumes: never before what the log recorded (see the module comment). */
export function resumeTime(now: number, saved: readonly SavedSession[]): number {
  let at = now
  for (const session of saved) at = Math.max(at, session.doneAt)
  return at
}

/**
 * Moves the clock to where the log left it and rebuilds the saved sessions in the runtime.
 * Returns the resumed sessions.
 */
export function resumeSessions(
  runtime: SimulatorRuntime,
  clock: VirtualClock,
  saved: readonly SavedSession[],
): LiveSession[] {
  if (saved.length === 0) return []
  clock.resumeAt(resumeTime(clock.now(), saved))
  return runtime.resumeSessions(saved)
}
