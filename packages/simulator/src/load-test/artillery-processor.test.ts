import { DEFAULT_SCENARIO_MIX } from '@ccai-sim/fixtures'
import { describe, expect, it } from 'vitest'
import { createArtilleryProcessor, type ArtilleryContext } from './artillery-processor.js'

const EVENTS = { emit: () => undefined }

describe('the Artillery processor', () => {
  it("leaves each request's timeout as Artillery gave it (milliseconds in 2.0.21, seconds in 2.0.34)", async () => {
    const processor = createArtilleryProcessor(
      {
        version: 1,
        seed: 1,
        runnerId: 'r1',
        mix: DEFAULT_SCENARIO_MIX,
        timeScale: 1,
        webhooks: {
          url: 'https://receiver.example.test/hooks',
          headers: {},
          surfaces: ['qm', 'adapter'],
          retry: { initialDelayMs: 500, maxDelayMs: 30_000, giveUpAfterMs: 3_600_000 },
          timeoutMs: 5000,
        },
      },
      { sleep: () => Promise.resolve() },
    )
    const context: ArtilleryContext = { vars: {} }
    await processor.ccaiStartWebhookSession(context, EVENTS)
    // What Artillery 2.0.21 (the newest that installs on Node 20) passes: the script's 5 s in ms.
    const request: Record<string, unknown> = { url: '/', timeout: 5000 }
    await processor.ccaiPrepareCall(request, context)
    expect(request['url']).toBe('https://receiver.example.test/hooks')
    expect(request['timeout']).toBe(5000)
  })
})
