import { MPEGDecoder } from 'mpg123-decoder'
import { parseBuffer } from 'music-metadata'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'

/*
 * What a pipeline that checks durations or listens sees: the recording (or voicemail) the
 * simulator writes, read by two independent libraries — music-metadata (duration from the frames)
 * and mpg123 (WebAssembly, full decode) — lasts as long as the call's talk time in the metadata
 * (the voicemail's recording item for a voicemail), and is not silent.
 */

let decoder: MPEGDecoder
beforeAll(async () => {
  decoder = new MPEGDecoder()
  await decoder.ready
})
afterAll(() => {
  decoder.free()
})

interface Written {
  /** music-metadata's duration. */
  seconds: number | undefined
  /** mpg123's: decoded samples over the sample rate. */
  decodedSeconds: number
  /** The loudest 100 ms window's RMS, full scale 1. */
  loudest: number
  /** The talk time as the metadata says (recordings), or the voicemail's length in the story. */
  metadataSeconds: number
  bytes: number
  path: string
}

async function fileOf(
  scenario: string,
  seed: number,
  options: { folder?: string; storage?: Record<string, unknown> } = {},
): Promise<Written> {
  const folder = options.folder ?? 'ujet-voice-recordings/'
  const sim = createSimulatorApp({
    config: { clock: { mode: 'manual' }, crm: { enabled: false }, storage: options.storage ?? {} },
  })
  try {
    const session = sim.runtime.startSession({ scenario, seed })
    sim.runtime.clock.advance(3 * 3_600_000)
    await sim.runtime.settle()
    const files = await sim.runtime.storage.list()
    const audioFile = files.find((f) => f.path.startsWith(folder))
    const metadata = files.find((f) => f.path.startsWith('ujet-metadata/'))
    if (!audioFile || !metadata) throw new Error(`session ${String(session.id)} wrote no ${folder}`)
    const audio = (await sim.runtime.storage.read(audioFile.path)) ?? new Uint8Array()
    const record = JSON.parse(
      new TextDecoder().decode(await sim.runtime.storage.read(metadata.path)),
    ) as { call_duration: number }
    const left = sim.runtime
      .getSession(session.id)
      ?.story.steps.find((s) => s.kind === 'abandoned')?.voicemailSeconds
    const parsed = await parseBuffer(audio, { mimeType: audioFile.contentType }, { duration: true })
    await decoder.reset()
    const decoded = decoder.decode(audio)
    expect(decoded.errors).toEqual([])
    const samples = decoded.channelData[0] ?? new Float32Array()
    let loudest = 0
    for (let from = 0; from + 1600 <= samples.length; from += 1600) {
      let sum = 0
      for (let i = from; i < from + 1600; i += 1) sum += (samples[i] ?? 0) ** 2
      loudest = Math.max(loudest, Math.sqrt(sum / 1600))
    }
    return {
      seconds: parsed.format.duration,
      decodedSeconds: decoded.samplesDecoded / decoded.sampleRate,
      loudest,
      metadataSeconds: folder === 'ujet-voicemails/' ? (left ?? 0) : record.call_duration,
      bytes: audio.length,
      path: audioFile.path,
    }
  } finally {
    await sim.close()
  }
}

describe('recordings', { timeout: 60_000 }, () => {
  it.each([
    ['inbound-ivr-call', 1],
    ['inbound-ivr-call', 7],
    ['outbound-call', 2],
    ['call-hold-warm-transfer', 3],
    ['campaign-call', 4],
    ['scheduled-callback', 5],
  ])(
    'last as long as the call’s talk time and are audible, read by two decoders (%s, seed %i)',
    async (scenario, seed) => {
      const written = await fileOf(scenario, seed)
      expect(written.metadataSeconds).toBeGreaterThan(10)
      expect(Math.abs((written.seconds ?? 0) - written.metadataSeconds)).toBeLessThanOrEqual(1)
      expect(Math.abs(written.decodedSeconds - written.metadataSeconds)).toBeLessThanOrEqual(1)
      // Tones of about -21 dBFS each: far above silence (0), far below clipping.
      expect(written.loudest).toBeGreaterThan(0.05)
      expect(written.loudest).toBeLessThan(0.3)
      // 8 kbit/s: a second of call is a kilobyte of file.
      expect(written.bytes).toBeLessThan((written.metadataSeconds + 2) * 1_000)
    },
  )

  it.each([1, 2, 3])(
    'of a voicemail last as long as the message, in ujet-voicemails (seed %i)',
    async (seed) => {
      const written = await fileOf('inbound-call-voicemail', seed, { folder: 'ujet-voicemails/' })
      expect(written.path).toMatch(/^ujet-voicemails\/call-\d+\.mp3$/)
      expect(written.metadataSeconds).toBeGreaterThanOrEqual(12)
      expect(Math.abs((written.seconds ?? 0) - written.metadataSeconds)).toBeLessThanOrEqual(1)
      expect(Math.abs(written.decodedSeconds - written.metadataSeconds)).toBeLessThanOrEqual(1)
      expect(written.loudest).toBeGreaterThan(0.05)
    },
  )

  it('stop at storage.maxRecordingSeconds', async () => {
    const written = await fileOf('outbound-call', 2, { storage: { maxRecordingSeconds: 5 } })
    expect(written.metadataSeconds).toBeGreaterThan(5)
    expect(Math.abs((written.seconds ?? 0) - 5)).toBeLessThanOrEqual(0.1)
    expect(Math.abs(written.decodedSeconds - 5)).toBeLessThanOrEqual(0.1)
  })
})
