import { createContext, runInContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import { DEFAULT_SCENARIO_MIX, type GeneratedMedia } from '@ccai-sim/fixtures'
import { defaultMockCrmSettings } from '../crm/mock-crm/default-settings.js'
import { k6MediaScript, K6_MEDIA_GLOBAL } from './k6-media.js'
import { dryRunCalls, K6_ID_PLACEHOLDERS, planK6CrmSession } from './k6-script.js'
import { loadTestStory, runnerKey } from './load-config.js'

const settings = defaultMockCrmSettings('http://crm.test/crm', {
  auth: { mode: 'api-key', header: 'X-Api-Key', value: 'secret' },
})
const key = runnerKey({ runnerId: 'r1' })
const IDS = K6_ID_PLACEHOLDERS

/** The bodies the simulator's load driver sends for session `n`, against a CRM that finds nothing. */
async function driverBodies(seed: number, n: number): Promise<Buffer[]> {
  const story = loadTestStory({ seed, mix: DEFAULT_SCENARIO_MIX }, key, n)
  const bodies: Buffer[] = []
  for await (const { call } of dryRunCalls(settings, story, IDS))
    bodies.push(Buffer.from(call.body ?? new Uint8Array()))
  return bodies
}

/**
 * `body` with its multipart boundary (undici's FormData draws one per request, so two runs of the
 * simulator differ there; the export keeps the one it planned with) made the same; bytes kept.
 */
function sameBoundary(body: Buffer): Buffer {
  return Buffer.from(body.toString('latin1').replace(/formdata-undici-\d+/g, 'boundary'), 'latin1')
}

/**
 * The generator bundle loaded into a bare JavaScript context: the language's built-ins only, no
 * `Buffer`, `process`, `TextEncoder` or `require` (k6's runtime has none of them either).
 */
async function bareGenerator(): Promise<(media: GeneratedMedia) => Uint8Array> {
  const context = createContext({})
  runInContext(await k6MediaScript(), context)
  expect(runInContext('[typeof Buffer, typeof process, typeof TextEncoder]', context)).toEqual([
    'undefined',
    'undefined',
    'undefined',
  ])
  const generator = (context as Record<string, unknown>)[K6_MEDIA_GLOBAL] as {
    renderMedia(media: GeneratedMedia): Uint8Array
  }
  return (media) => generator.renderMedia(media)
}

describe('planK6CrmSession', () => {
  it('sends the simulator’s bytes in every body, uploads’ files made by the bundled generator in a bare runtime, for several seeds', async () => {
    const render = await bareGenerator()
    const kinds = new Map<string, number>()
    for (const seed of [1, 2, 77]) {
      for (let n = 0; n < 6; n += 1) {
        const planned = await planK6CrmSession({
          settings,
          config: { seed, mix: DEFAULT_SCENARIO_MIX },
          key,
          n,
        })
        const bodies = planned.steps.map((step) => {
          if (step.bodyParts === undefined) {
            return step.bodyBase64 !== undefined
              ? Buffer.from(step.bodyBase64, 'base64')
              : Buffer.from(step.body ?? '')
          }
          return Buffer.concat(
            step.bodyParts.map((part) => {
              if ('base64' in part) return Buffer.from(part.base64, 'base64')
              kinds.set(part.media.kind, (kinds.get(part.media.kind) ?? 0) + 1)
              // As the script gets it: JSON text, parsed in the k6 runtime.
              return Buffer.from(render(JSON.parse(JSON.stringify(part.media)) as GeneratedMedia))
            }),
          )
        })
        expect(bodies.map(sameBoundary), `seed ${String(seed)} session ${String(n)}`).toEqual(
          (await driverBodies(seed, n)).map(sameBoundary),
        )
        // No file rides in the script as bytes.
        expect(planned.steps.filter((step) => step.bodyBase64 !== undefined)).toEqual([])
      }
    }
    expect(kinds.get('mp3')).toBeGreaterThanOrEqual(5)
    expect(kinds.get('jpeg')).toBeGreaterThanOrEqual(1)
  })
})
