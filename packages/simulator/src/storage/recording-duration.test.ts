import { parseBuffer } from 'music-metadata'
import { describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'

/*
 * What a pipeline that checks durations sees: the recording the simulator writes, decoded by an
 * independent decoder (music-metadata), lasts as long as the call's talk time in the metadata.
 */

async function recordingOf(
  scenario: string,
  seed: number,
  storage: Record<string, unknown> = {},
): Promise<{ seconds: number | undefined; callDuration: number; bytes: number }> {
  const sim = createSimulatorApp({
    config: { clock: { mode: 'manual' }, crm: { enabled: false }, storage },
  })
  const session = sim.runtime.startSession({ scenario, seed })
  sim.runtime.clock.advance(3 * 3_600_000)
  await sim.runtime.settle()
  const files = await sim.runtime.storage.list()
  const recording = files.find((f) => f.path.startsWith('ujet-voice-recordings/'))
  const metadata = files.find((f) => f.path.startsWith('ujet-metadata/'))
  if (!recording || !metadata) throw new Error(`session ${String(session.id)} wrote no recording`)
  const audio = (await sim.runtime.storage.read(recording.path)) ?? new Uint8Array()
  const record = JSON.parse(
    new TextDecoder().decode(await sim.runtime.storage.read(metadata.path)),
  ) as { call_duration: number }
  const parsed = await parseBuffer(audio, { mimeType: recording.contentType })
  await sim.close()
  return {
    seconds: parsed.format.duration,
    callDuration: record.call_duration,
    bytes: audio.length,
  }
}

describe('recordings', { timeout: 30_000 }, () => {
  it.each([
    ['inbound-ivr-call', 1],
    ['outbound-call', 2],
    ['call-hold-warm-transfer', 3],
    ['campaign-call', 4],
  ])(
    'last as long as the call’s talk time, read by a decoder (%s, seed %i)',
    async (scenario, seed) => {
      const { seconds, callDuration, bytes } = await recordingOf(scenario, seed)
      expect(callDuration).toBeGreaterThan(10)
      expect(Math.abs((seconds ?? 0) - callDuration)).toBeLessThanOrEqual(1)
      // 8 kbit/s: a second of call is a kilobyte of file.
      expect(bytes).toBeLessThan((callDuration + 2) * 1_000)
    },
  )

  it('stop at storage.maxRecordingSeconds', async () => {
    const { seconds, callDuration } = await recordingOf('outbound-call', 2, {
      maxRecordingSeconds: 5,
    })
    expect(callDuration).toBeGreaterThan(5)
    expect(Math.abs((seconds ?? 0) - 5)).toBeLessThanOrEqual(0.1)
  })
})
