import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { audioTurns, mp3Recording, RECORDING_LINES, wavRecording } from '@ccai-sim/fixtures'
import type { SpeechRenderer } from '@ccai-sim/fixtures'
import { MPEGDecoder } from 'mpg123-decoder'
import { parseBuffer } from 'music-metadata'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import { runCli } from '../cli/main.js'
import { ConfigError, parseConfig } from '../config.js'
import type { JournalEntry } from '../runtime/journal.js'
import { startSimulator } from '../server.js'
import { parseWav, prepareSpeech, type PreparedSpeech, type SpeechOptions } from './speech.js'

/*
 * Speech with the real programs (espeak-ng and lame, which `.ci/run` installs): every line a
 * recording can hold is rendered, recordings decode and last their talk time, the turns sound
 * like speech rather than a tone pair, and a missing or failing program gives tones, journaled.
 */

const REAL: SpeechOptions = { speech: 'espeak-ng', espeakNg: 'espeak-ng', lame: 'lame' }

let speech: PreparedSpeech
let renderer: SpeechRenderer
let decoder: MPEGDecoder
let dir = ''

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-speech-'))
  decoder = new MPEGDecoder()
  await decoder.ready
  speech = await prepareSpeech(REAL)
  if (!speech.renderer) throw new Error(`espeak-ng speech did not start: ${speech.report.detail}`)
  renderer = speech.renderer
}, 120_000)

afterAll(async () => {
  decoder.free()
  await rm(dir, { recursive: true, force: true })
})

async function decode(mp3: Uint8Array): Promise<{ samples: Float32Array; sampleRate: number }> {
  await decoder.reset()
  const decoded = decoder.decode(mp3)
  expect(decoded.errors).toEqual([])
  return { samples: decoded.channelData[0] ?? new Float32Array(), sampleRate: decoded.sampleRate }
}

/**
 * How much the loudness of 20 ms windows varies inside the turns (standard deviation over mean
 * RMS): a tone pair holds one level for the whole turn, speech comes and goes with its syllables
 * and pauses between words.
 */
function loudnessVariation(
  samples: ArrayLike<number>,
  sampleRate: number,
  turns: readonly { from: number; to: number }[],
): number {
  const window = Math.round(sampleRate * 0.02)
  const levels: number[] = []
  for (const turn of turns) {
    // Away from the turn's fades and edges.
    const from = Math.round((turn.from + 0.1) * sampleRate)
    const to = Math.round((turn.to - 0.1) * sampleRate)
    for (let start = from; start + window <= to; start += window) {
      let sum = 0
      for (let i = start; i < start + window; i += 1) sum += (samples[i] ?? 0) ** 2
      levels.push(Math.sqrt(sum / window))
    }
  }
  const mean = levels.reduce((a, b) => a + b, 0) / levels.length
  const variance = levels.reduce((a, b) => a + (b - mean) ** 2, 0) / levels.length
  return Math.sqrt(variance) / mean
}

describe('prepareSpeech with espeak-ng and lame', { timeout: 120_000 }, () => {
  it('renders every line a recording can hold, for its speaker, and names the programs’ versions', () => {
    expect(speech.report).toMatchObject({ synthesizer: 'espeak-ng', outcome: 'ready' })
    expect(speech.report.detail).toMatch(/^espeak-ng \d+\.\d+\S*, LAME \d+\.\d+\S*: 21 lines$/)
    for (const voice of ['agent', 'end_user'] as const) {
      for (const text of RECORDING_LINES[voice]) {
        // At least half a second of words: 14 frames of 36 ms, 4 000 samples at 8 kHz.
        expect(renderer.mp3(text, voice).length, text).toBeGreaterThanOrEqual(14 * 36)
        expect(renderer.pcm(text, voice, 8000).length, text).toBeGreaterThan(4_000)
      }
    }
  })

  it('gives the agent and the caller different voices', () => {
    const text = 'Hi, this is a message about my order.'
    // The caller's line, spoken as if by the agent, is not in the cache: silence.
    expect(renderer.mp3(text, 'agent')).toEqual(new Uint8Array(0))
    const agent = renderer.pcm(RECORDING_LINES.agent[0] ?? '', 'agent', 8000)
    const caller = renderer.pcm(RECORDING_LINES.end_user[0] ?? '', 'end_user', 8000)
    // Zero crossings per second: the agent's voice is pitched higher than the caller's.
    const crossings = (pcm: Int16Array): number => {
      let count = 0
      for (let i = 1; i < pcm.length; i += 1)
        if ((pcm[i - 1] ?? 0) < 0 !== (pcm[i] ?? 0) < 0) count += 1
      return count / (pcm.length / 8000)
    }
    expect(crossings(agent)).toBeGreaterThan(crossings(caller))
  })

  it('speaks each turn of an MP3 recording: it decodes, lasts its length, and is not a tone pair', async () => {
    const seconds = 45
    const seed = 11
    const spoken = mp3Recording({ seconds, seed, speech: renderer })
    const tones = mp3Recording({ seconds, seed })
    expect(spoken.length).toBe(tones.length)
    const turns = audioTurns({ seconds, seed })
    const decoded = await decode(spoken)
    expect(decoded.sampleRate).toBe(16_000)
    expect(Math.abs(decoded.samples.length / decoded.sampleRate - seconds)).toBeLessThanOrEqual(1)
    const toneDecoded = await decode(tones)
    const speechVariation = loudnessVariation(decoded.samples, decoded.sampleRate, turns)
    const toneVariation = loudnessVariation(toneDecoded.samples, toneDecoded.sampleRate, turns)
    expect(toneVariation).toBeLessThan(0.2)
    expect(speechVariation).toBeGreaterThan(0.6)
    // Audible: the loudest 100 ms is well above silence.
    let loudest = 0
    for (let from = 0; from + 1600 <= decoded.samples.length; from += 1600) {
      let sum = 0
      for (let i = from; i < from + 1600; i += 1) sum += (decoded.samples[i] ?? 0) ** 2
      loudest = Math.max(loudest, Math.sqrt(sum / 1600))
    }
    expect(loudest).toBeGreaterThan(0.02)
  })

  it('speaks each turn of a WAV recording too, at its 8 kHz', () => {
    const seconds = 30
    const seed = 4
    const { samples, sampleRate } = parseWav(wavRecording({ seconds, seed, speech: renderer }))
    expect(sampleRate).toBe(8000)
    expect(samples.length).toBe(seconds * 8000)
    const turns = audioTurns({ seconds, seed })
    expect(loudnessVariation(samples, sampleRate, turns)).toBeGreaterThan(0.6)
    const tones = parseWav(wavRecording({ seconds, seed })).samples
    expect(loudnessVariation(tones, sampleRate, turns)).toBeLessThan(0.2)
  })

  it('gives the same bytes for the same seed when prepared again (same programs, same versions)', async () => {
    const again = await prepareSpeech(REAL)
    if (!again.renderer) throw new Error(again.report.detail)
    const options = { seconds: 40, seed: 9, content: 'voicemail' as const }
    expect(mp3Recording({ ...options, speech: again.renderer })).toEqual(
      mp3Recording({ ...options, speech: renderer }),
    )
    expect(wavRecording({ ...options, speech: again.renderer })).toEqual(
      wavRecording({ ...options, speech: renderer }),
    )
  })

  it('puts speech in a call’s recording as long as its talk time, and journals the programs', async () => {
    const sim = createSimulatorApp({
      config: { clock: { mode: 'manual' }, crm: { enabled: false } },
      speech,
    })
    try {
      const session = sim.runtime.startSession({ scenario: 'outbound-call', seed: 2 })
      sim.runtime.clock.advance(3 * 3_600_000)
      await sim.runtime.settle()
      const files = await sim.runtime.storage.list()
      const recording = files.find((f) => f.path.startsWith('ujet-voice-recordings/'))
      const metadata = files.find((f) => f.path.startsWith('ujet-metadata/'))
      if (!recording || !metadata)
        throw new Error(`session ${String(session.id)} wrote no recording`)
      const record = JSON.parse(
        new TextDecoder().decode(await sim.runtime.storage.read(metadata.path)),
      ) as { call_duration: number }
      const audio = (await sim.runtime.storage.read(recording.path)) ?? new Uint8Array()
      const decoded = await decode(audio)
      const seconds = decoded.samples.length / decoded.sampleRate
      expect(record.call_duration).toBeGreaterThan(10)
      expect(Math.abs(seconds - record.call_duration)).toBeLessThanOrEqual(1)
      const parsed = await parseBuffer(audio, { mimeType: 'audio/mpeg' }, { duration: true })
      expect(Math.abs((parsed.format.duration ?? 0) - record.call_duration)).toBeLessThanOrEqual(1)
      const ready: unknown = expect.objectContaining({
        type: 'speech',
        synthesizer: 'espeak-ng',
        outcome: 'ready',
      })
      expect(sim.runtime.journal.read({ type: 'speech' }).entries).toEqual([ready])
      // A reset empties the journal: the entry comes back with it.
      await sim.runtime.reset()
      expect(sim.runtime.journal.read({ type: 'speech' }).entries).toEqual([ready])
    } finally {
      await sim.close()
    }
  })
})

/** A program standing in for espeak-ng: a shell script that does what `body` says. */
async function fakeProgram(name: string, body: string): Promise<string> {
  const path = join(dir, name)
  await writeFile(path, `#!/bin/sh\n${body}\n`)
  await chmod(path, 0o755)
  return path
}

describe('without speech', { timeout: 120_000 }, () => {
  it('is tones when configured so, running no program', async () => {
    const prepared = await prepareSpeech({ ...REAL, speech: 'tones', espeakNg: '/nonexistent' })
    expect(prepared.renderer).toBeUndefined()
    expect(prepared.report).toMatchObject({ synthesizer: 'tones', outcome: 'off' })
  })

  it('falls back to tones with auto when espeak-ng is not installed, saying how to install it', async () => {
    const prepared = await prepareSpeech({ ...REAL, speech: 'auto', espeakNg: join(dir, 'none') })
    expect(prepared.renderer).toBeUndefined()
    expect(prepared.report.outcome).toBe('unavailable')
    expect(prepared.report.detail).toContain(`${join(dir, 'none')}: not found`)
    expect(prepared.report.detail).toContain('apt-get install espeak-ng lame')
  })

  it('falls back to tones with auto when lame is not installed', async () => {
    const prepared = await prepareSpeech({ ...REAL, speech: 'auto', lame: join(dir, 'no-lame') })
    expect(prepared.report).toMatchObject({ synthesizer: 'tones', outcome: 'unavailable' })
    expect(prepared.report.detail).toContain(`${join(dir, 'no-lame')}: not found`)
  })

  it('reports a missing program as failed when espeak-ng was asked for explicitly', async () => {
    const prepared = await prepareSpeech({ ...REAL, espeakNg: join(dir, 'none') })
    expect(prepared.renderer).toBeUndefined()
    expect(prepared.report).toMatchObject({ synthesizer: 'tones', outcome: 'failed' })
  })

  it('reports an espeak-ng that fails, with its exit code and message, and keeps tones', async () => {
    const broken = await fakeProgram('broken-espeak', 'echo "cannot open voice data" >&2; exit 3')
    const prepared = await prepareSpeech({ ...REAL, speech: 'auto', espeakNg: broken })
    expect(prepared.renderer).toBeUndefined()
    expect(prepared.report.outcome).toBe('failed')
    expect(prepared.report.detail).toContain(`${broken}: exit code 3: cannot open voice data`)
  })

  it('reports an espeak-ng that answers --version but writes no WAV', async () => {
    const garbage = await fakeProgram(
      'garbage-espeak',
      'if [ "$1" = "--version" ]; then echo "eSpeak NG text-to-speech: 9.99  Data at: /x"; else echo not a wav; fi',
    )
    const prepared = await prepareSpeech({ ...REAL, espeakNg: garbage })
    expect(prepared.report.outcome).toBe('failed')
    expect(prepared.report.detail).toMatch(/wrote no usable WAV: expected a RIFF\/WAVE file/)
  })

  it('starts a simulator whose espeak-ng fails: tones, and the failure in the journal', async () => {
    const broken = await fakeProgram('crashing-espeak', 'kill -SEGV $$')
    const running = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        crm: { enabled: false },
        email: { enabled: false },
        storage: { dir: join(dir, 'storage'), media: { speech: 'espeak-ng', espeakNg: broken } },
      },
      cwd: dir,
    })
    try {
      const { runtime } = running.simulator
      const entries: JournalEntry[] = runtime.journal.read({ type: 'speech' }).entries
      expect(entries).toEqual([
        expect.objectContaining({ synthesizer: 'tones', outcome: 'failed' }),
      ])
      expect(entries[0]?.type === 'speech' ? entries[0].detail : '').toContain('signal SIGSEGV')
      const response = await fetch(`${running.url}/_sim/journal?type=speech`)
      const body = (await response.json()) as { entries: JournalEntry[] }
      expect(body.entries.map((e) => [e.type, 'outcome' in e ? e.outcome : ''])).toEqual([
        ['speech', 'failed'],
      ])
      // Sessions still get their recordings: tones.
      runtime.startSession({ scenario: 'outbound-call', seed: 2 })
      runtime.clock.advance(3 * 3_600_000)
      await runtime.settle()
      const files = await runtime.storage.list()
      const recording = files.find((f) => f.path.startsWith('ujet-voice-recordings/'))
      if (!recording) throw new Error('no recording')
      const decoded = await decode((await runtime.storage.read(recording.path)) ?? new Uint8Array())
      expect(decoded.samples.length).toBeGreaterThan(10 * 16_000)
    } finally {
      await running.close()
    }
  })
})

describe('storage.media configuration', () => {
  const detailOf = (input: unknown): string => {
    try {
      parseConfig(input)
    } catch (error) {
      if (error instanceof ConfigError) return error.detail
      throw error
    }
    throw new Error('accepted')
  }

  it('defaults to tones with the programs looked up on PATH', () => {
    expect(parseConfig({}).storage.media).toEqual({
      speech: 'tones',
      espeakNg: 'espeak-ng',
      lame: 'lame',
    })
  })

  it('names the field, what was expected and what came for a bad value', () => {
    expect(detailOf({ storage: { media: { speech: 'festival' } } })).toMatch(
      /storage\.media\.speech: expected one of "tones", "espeak-ng", "auto", received string "festival"/,
    )
    expect(detailOf({ storage: { media: { espeakNg: '' } } })).toMatch(/storage\.media\.espeakNg/)
    expect(detailOf({ storage: { media: { voice: 'x' } } })).toMatch(
      /storage\.media\.voice: expected no such key/,
    )
  })

  it('takes --speech on the serve command line, validated like the file', async () => {
    const err: string[] = []
    const code = await runCli(['serve', '--port', '0', '--no-email', '--speech', 'festival'], {
      cwd: dir,
      stdout: () => undefined,
      stderr: (text) => err.push(text),
      readStdin: () => Promise.resolve(''),
    })
    expect(code).toBe(2)
    expect(err.join('')).toMatch(
      /storage\.media\.speech: expected one of "tones", "espeak-ng", "auto"/,
    )
  })
})
