import {
  generateStory,
  hashSeed,
  SCENARIO_NAMES,
  withSeededFaker,
  type SessionStory,
} from '@ccai-sim/fixtures'
import { checkPayload, CrmIntegrationSettingsSchema } from '@ccai-sim/schemas'
import { z } from 'zod'
import { SimulatorError } from '../errors.js'

/*
 * What an exported load test carries (`ccai-sim export artillery|k6`): the integration settings or
 * the webhook receiver, the scenario mix, the seed and runner id, the pace. The exporter writes it
 * into the processor module; the processor checks it again when it loads (a hand-edited script gets
 * a clear error naming the field, not a crash mid-run).
 *
 * Decisions where the documents are silent:
 * - Each virtual user is one session. Its story is the `n`-th of its runner: the scenario drawn
 *   from the mix by `(seed, runner, n)`, the story generated from a seed that mixes the runner in,
 *   so two runners never replay the same customers.
 * - Session ids are not the story's hashed six-digit ids (900 000 of them: thousands of sessions
 *   would collide, and webhook receivers dedupe on `<sessionId>:<surface>:<n>`): a session gets
 *   `1 000 000 + block × 2^20 + n`, where `block` is a 29-bit hash of the runner key (runner id,
 *   cloud worker id, local worker thread), so ids stay below the schemas' 10^15. Sessions of one
 *   runner never collide (up to 2^20 of them); two runners only if their keys hash alike (one
 *   chance in 537 million per pair). Projections derive every id from `story.id`, so payloads
 *   stay consistent with the new id.
 */

/** Sessions a runner key can number before its ids would run into the next block. */
export const SESSIONS_PER_RUNNER = 2 ** 20
const FIRST_SESSION_ID = 1_000_000

const RetryScheduleSchema = z.object({
  initialDelayMs: z.int().min(1),
  maxDelayMs: z.int().min(1),
  giveUpAfterMs: z.int().min(0),
})

const CrmRetryPolicySchema = z.object({
  /** Absent: the documented default (`DEFAULT_CRM_IMMEDIATE_RETRY`). */
  immediate: z
    .object({ statuses: z.array(z.int().min(400).max(599)), noResponse: z.boolean() })
    .optional(),
  statuses: z.array(z.int().min(400).max(599)),
  initialDelayMs: z.int().min(1),
  factor: z.number().min(1),
  maxDelayMs: z.int().min(1),
  giveUpAfterMs: z.int().min(0),
  rateLimited: z.object({
    initialDelayMs: z.int().min(1),
    maxDelayMs: z.int().min(1),
    giveUpAfterMs: z.int().min(0).nullable(),
  }),
})

export const LoadTestConfigSchema = z.object({
  version: z.literal(1),
  seed: z.int().min(0),
  runnerId: z.string().min(1),
  /** Relative weights by scenario name. */
  mix: z.record(z.string(), z.number().nonnegative()).superRefine((mix, ctx) => {
    for (const name of Object.keys(mix)) {
      if (!SCENARIO_NAMES.includes(name)) {
        ctx.addIssue({
          code: 'custom',
          path: [name],
          input: name,
          message: `a scenario name (${SCENARIO_NAMES.join(', ')})`,
        })
      }
    }
    if (!Object.values(mix).some((w) => w > 0)) {
      ctx.addIssue({ code: 'custom', input: mix, message: 'at least one positive weight' })
    }
  }),
  /** Virtual seconds per real second between a session's steps; `max`: no waiting at all. */
  timeScale: z.union([z.number().positive(), z.literal('max')]),
  crm: z
    .object({
      settings: CrmIntegrationSettingsSchema,
      retry: CrmRetryPolicySchema,
    })
    .optional(),
  webhooks: z
    .object({
      url: z.url(),
      headers: z.record(z.string(), z.string()),
      surfaces: z.array(z.enum(['qm', 'adapter'])).min(1),
      retry: RetryScheduleSchema,
      timeoutMs: z.int().min(1),
    })
    .optional(),
})

export type LoadTestConfig = z.output<typeof LoadTestConfigSchema>

/** Checks a load-test configuration (strict), naming the field of any problem. */
export function parseLoadTestConfig(value: unknown): LoadTestConfig {
  const result = checkPayload(LoadTestConfigSchema, value, { mode: 'strict' })
  if (!result.ok) {
    throw new SimulatorError(
      'invalid_config',
      `invalid load-test configuration:\n${result.issues.map((i) => `  - ${i.message}`).join('\n')}`,
      { issues: result.issues },
    )
  }
  return result.value
}

/** The runner key: the runner id, then the cloud worker and the local worker thread when there are. */
export function runnerKey(parts: {
  readonly runnerId: string
  readonly cloudWorker?: string | undefined
  readonly localWorker?: string | undefined
}): string {
  return [parts.runnerId, parts.cloudWorker ?? '', parts.localWorker ?? ''].join('/')
}

/** The 29-bit block of a runner key's session ids (ids stay below the schemas' 10^15). */
export function runnerBlock(key: string): number {
  return hashSeed('ccai-sim load runner', key) >>> 3
}

/** The id of a runner's `n`-th session (see the decisions above). */
export function loadSessionId(key: string, n: number): number {
  if (!Number.isInteger(n) || n < 0 || n >= SESSIONS_PER_RUNNER) {
    throw new SimulatorError(
      'invalid_config',
      `session number: expected 0 to ${String(SESSIONS_PER_RUNNER - 1)} per runner key, received ${String(n)}`,
    )
  }
  return FIRST_SESSION_ID + runnerBlock(key) * SESSIONS_PER_RUNNER + n
}

/** Which runner block and session number an id was made from (tests read the CRM's records with it). */
export function decodeLoadSessionId(id: number): { readonly block: number; readonly n: number } {
  const offset = id - FIRST_SESSION_ID
  return { block: Math.floor(offset / SESSIONS_PER_RUNNER), n: offset % SESSIONS_PER_RUNNER }
}

/**
 * The story of a runner's `n`-th session: the scenario drawn from the mix, the story seeded by
 * `(seed, runner key)`, the id from `loadSessionId`.
 *
 * @example
 * loadTestStory(config, runnerKey({ runnerId: 'r1' }), 0).id // 1000000 + block × 2^20
 */
export function loadTestStory(
  config: Pick<LoadTestConfig, 'seed' | 'mix'>,
  key: string,
  n: number,
): SessionStory {
  const id = loadSessionId(key, n)
  const seed = hashSeed(config.seed, 'runner', key) >>> 1
  const entries = Object.entries(config.mix)
    .filter(([, weight]) => weight > 0)
    .map(([value, weight]) => ({ value, weight }))
  const scenario = withSeededFaker(hashSeed(seed, 'mix', n), (faker) =>
    faker.helpers.weightedArrayElement(entries),
  )
  return { ...generateStory(scenario, { seed, index: n }), id }
}
