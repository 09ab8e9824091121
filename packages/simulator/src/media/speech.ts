/*
 * Speech for the recordings (issue 14, build step 3): the words of each turn of a recording
 * (`@ccai-sim/fixtures` `audioTurns`) spoken by espeak-ng (Debian package `espeak-ng`), encoded to
 * MP3 by LAME (Debian package `lame`), one voice per speaker. Without them, recordings keep their
 * tone pairs.
 *
 * Why pre-rendered: the fixtures' `SpeechRenderer` is synchronous and pure (a recording's bytes are
 * computed whenever a sink reads them), while running two programs is I/O. The words a recording can
 * hold are a closed list (`RECORDING_LINES`: 21 lines), so `prepareSpeech` renders every line once,
 * asynchronously, before the simulator starts, and the renderer only looks them up: a recording
 * costs no process at all on the session's hot path, and a program that fails is found at start,
 * not halfway through a run (the simulator then keeps tones for the whole run, so a run's
 * recordings are all speech or all tones).
 *
 * Why LAME and not a JavaScript encoder: the recordings' frames are MPEG-2 Layer III, 16 kHz,
 * 8 kbit/s (`MP3_FORMAT`, tiled with the tone frames). lamejs (`@breezystack/lamejs`) picks the
 * output rate itself and at 8 kbit/s drops to MPEG-2.5 at 8 kHz, with no option to keep 16 kHz;
 * `@mediabunny/mp3-encoder` (LAME in WebAssembly) keeps it but starts a worker and compiles its
 * module per stream, about a second per line. The `lame` program does it in milliseconds
 * (`--resample 16 -b 8`), and each line is its own stream, so its first frame has
 * `main_data_begin` 0 as the fixtures require.
 */
import { spawn } from 'node:child_process'
import { MP3_FORMAT, RECORDING_LINES } from '@ccai-sim/fixtures'
import type { SpeechRenderer } from '@ccai-sim/fixtures'
import { resample } from './resample.js'

type Voice = keyof typeof RECORDING_LINES

/** How recordings sound: `tones` (default), `espeak-ng` (speech), `auto` (speech when installed). */
export type SpeechMode = 'tones' | 'espeak-ng' | 'auto'

export interface SpeechOptions {
  readonly speech: SpeechMode
  /** The espeak-ng program: a name looked up on PATH, or a path. */
  readonly espeakNg: string
  /** The LAME program, likewise. */
  readonly lame: string
}

/** What `prepareSpeech` decided, for the journal. */
export interface SpeechReport {
  /** What the recordings hold. */
  readonly synthesizer: 'espeak-ng' | 'tones'
  /**
   * `off`: tones were configured; `ready`: speech; `unavailable`: `auto` found no espeak-ng or
   * lame; `failed`: a program failed, so tones.
   */
  readonly outcome: 'off' | 'ready' | 'unavailable' | 'failed'
  /** The programs' versions (`espeak-ng 1.51, LAME 3.100`), or why tones. */
  readonly detail: string
}

export interface PreparedSpeech {
  /** The renderer for the recordings; undefined: tones. */
  readonly renderer: SpeechRenderer | undefined
  readonly report: SpeechReport
}

/**
 * Each speaker's espeak-ng voice: a higher American voice for the agent, a lower British one for
 * the caller, so a pipeline that separates speakers has two to find.
 */
const VOICE_ARGS: Readonly<Record<Voice, readonly string[]>> = {
  agent: ['-v', 'en-us+f3', '-p', '60', '-s', '165'],
  end_user: ['-v', 'en-gb+m3', '-p', '35', '-s', '150'],
}

/** LAME reading 16-bit little-endian mono PCM at 16 kHz and writing bare `MP3_FORMAT` frames. */
const LAME_ARGS = [
  ...['-r', '-s', '16', '--bitwidth', '16', '--signed', '--little-endian', '-m', 'm'],
  // `--resample 16`: without it LAME picks 8 kHz (MPEG-2.5) for 8 kbit/s; `-t`: no Info frame.
  ...['-b', String(MP3_FORMAT.bitrate / 1000), '--cbr', '--resample', '16', '-t', '--quiet'],
  ...['-', '-'],
]

/** A program that did not run or did not succeed, with what it said. */
export class SpeechProgramError extends Error {
  constructor(
    readonly program: string,
    message: string,
    readonly missing = false,
  ) {
    super(`${program}: ${message}`)
    this.name = 'SpeechProgramError'
  }
}

/** A program's standard output; rejects with `SpeechProgramError` (`missing` when not found). */
function run(program: string, args: readonly string[], input?: Uint8Array): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn(program, args, { stdio: ['pipe', 'pipe', 'pipe'] })
    const out: Buffer[] = []
    const err: Buffer[] = []
    let settled = false
    const fail = (error: SpeechProgramError): void => {
      if (settled) return
      settled = true
      reject(error)
    }
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    child.on('error', (error: NodeJS.ErrnoException) => {
      const missing = error.code === 'ENOENT'
      fail(
        new SpeechProgramError(
          program,
          missing ? 'not found (is it installed and on PATH?)' : error.message,
          missing,
        ),
      )
    })
    // A program that exits before reading its input closes the pipe: the exit code says why.
    child.stdin.on('error', () => undefined)
    child.on('close', (code, signal) => {
      if (settled) return
      if (code === 0) {
        settled = true
        resolve(Buffer.concat(out))
        return
      }
      const said = Buffer.concat(err).toString('utf8').trim().split('\n')[0] ?? ''
      const how = signal === null ? `exit code ${String(code)}` : `signal ${signal}`
      fail(new SpeechProgramError(program, `${how}${said === '' ? '' : `: ${said}`}`))
    })
    child.stdin.end(input)
  })
}

/** The version a program prints first (`1.51`, `3.100`), or its first line. */
async function versionOf(program: string, pattern: RegExp): Promise<string> {
  const text = (await run(program, ['--version'])).toString('utf8')
  const match = pattern.exec(text)
  if (!match?.[1]) {
    const first = text.trim().split('\n')[0] ?? ''
    throw new SpeechProgramError(program, `--version printed "${first}", not a version`)
  }
  return match[1]
}

/** The samples and rate of a RIFF/WAVE PCM file as espeak-ng writes it (16-bit mono). */
export function parseWav(bytes: Uint8Array): { samples: Int16Array; sampleRate: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const tag = (at: number): string => String.fromCharCode(...bytes.subarray(at, at + 4))
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') {
    throw new Error(`expected a RIFF/WAVE file, received ${String(bytes.length)} other bytes`)
  }
  let sampleRate = 0
  let at = 12
  while (at + 8 <= bytes.length) {
    const id = tag(at)
    const size = view.getUint32(at + 4, true)
    if (id === 'fmt ') {
      const format = view.getUint16(at + 8, true)
      const channels = view.getUint16(at + 10, true)
      const bits = view.getUint16(at + 22, true)
      if (format !== 1 || channels !== 1 || bits !== 16) {
        throw new Error(
          `expected 16-bit mono PCM, received format ${String(format)}, ${String(channels)} channels, ${String(bits)} bits`,
        )
      }
      sampleRate = view.getUint32(at + 12, true)
    } else if (id === 'data') {
      if (sampleRate === 0) throw new Error('expected a fmt chunk before the data')
      // Written to a pipe, the size is a placeholder: the samples run to the end.
      const end = Math.min(bytes.length, at + 8 + size)
      const count = Math.floor((end - at - 8) / 2)
      const samples = new Int16Array(count)
      for (let i = 0; i < count; i += 1) samples[i] = view.getInt16(at + 8 + i * 2, true)
      return { samples, sampleRate }
    }
    at += 8 + size + (size % 2)
  }
  throw new Error('expected a data chunk, found none')
}

/** Checks LAME's output: whole `MP3_FORMAT` frames, the first one self-contained. */
function checkFrames(frames: Uint8Array, text: string): Uint8Array {
  const { frameBytes, header } = MP3_FORMAT
  const whole = frames.length > 0 && frames.length % frameBytes === 0
  const headers =
    whole &&
    Array.from({ length: frames.length / frameBytes }).every((_, i) =>
      header.every((b, j) => frames[i * frameBytes + j] === b),
    )
  if (!headers || frames[4] !== 0) {
    throw new Error(
      `lame: expected ${String(frameBytes)}-byte MPEG-2 Layer III frames (16 kHz, 8 kbit/s, mono) for "${text}", received ${String(frames.length)} bytes that are not`,
    )
  }
  return frames
}

interface Line {
  /** espeak-ng's samples, at `sampleRate`. */
  readonly samples: Int16Array
  readonly sampleRate: number
  readonly mp3: Uint8Array
}

const keyOf = (text: string, voice: Voice): string => `${voice}\n${text}`

/**
 * Serves pre-rendered lines. A line it does not hold (none: every `RECORDING_LINES` line is
 * rendered) is silence, never an exception thrown into a sink's read.
 */
class PrerenderedSpeech implements SpeechRenderer {
  private readonly pcmCache = new Map<string, Int16Array>()

  constructor(private readonly lines: ReadonlyMap<string, Line>) {}

  pcm(text: string, voice: Voice, sampleRate: number): Int16Array {
    const line = this.lines.get(keyOf(text, voice))
    if (!line) return new Int16Array(0)
    // Resampled when first asked (WAV recordings only), then kept: a few hundred KB in all.
    const key = `${String(sampleRate)}\n${keyOf(text, voice)}`
    let samples = this.pcmCache.get(key)
    if (!samples) {
      samples = resample(line.samples, line.sampleRate, sampleRate)
      this.pcmCache.set(key, samples)
    }
    return samples
  }

  mp3(text: string, voice: Voice): Uint8Array {
    return this.lines.get(keyOf(text, voice))?.mp3 ?? new Uint8Array(0)
  }
}

/** Renders one line: espeak-ng's WAV, resampled to 16 kHz, encoded by LAME. */
async function renderLine(options: SpeechOptions, text: string, voice: Voice): Promise<Line> {
  const wav = await run(options.espeakNg, [...VOICE_ARGS[voice], '--stdout', text])
  let parsed
  try {
    parsed = parseWav(wav)
  } catch (error) {
    throw new SpeechProgramError(
      options.espeakNg,
      `wrote no usable WAV: ${(error as Error).message}`,
    )
  }
  const pcm16k = resample(parsed.samples, parsed.sampleRate, MP3_FORMAT.sampleRate)
  const raw = new Uint8Array(pcm16k.length * 2)
  const view = new DataView(raw.buffer)
  for (let i = 0; i < pcm16k.length; i += 1) view.setInt16(i * 2, pcm16k[i] ?? 0, true)
  const mp3 = checkFrames(new Uint8Array(await run(options.lame, LAME_ARGS, raw)), text)
  return { samples: parsed.samples, sampleRate: parsed.sampleRate, mp3 }
}

/** Lines rendered at once: each run mostly waits on the programs starting, so more than the cores. */
const CONCURRENCY = 4

/**
 * Decides how recordings sound and, for speech, renders every line a recording can hold. Never
 * rejects: a missing or failing program gives tones and a report saying why (`auto` without the
 * programs is `unavailable`; anything else that goes wrong is `failed`).
 */
export async function prepareSpeech(options: SpeechOptions): Promise<PreparedSpeech> {
  if (options.speech === 'tones') {
    return {
      renderer: undefined,
      report: { synthesizer: 'tones', outcome: 'off', detail: 'storage.media.speech is "tones"' },
    }
  }
  let versions: string
  try {
    const espeak = await versionOf(options.espeakNg, /text-to-speech:\s*(\S+)/)
    const lame = await versionOf(options.lame, /LAME .*?version (\S+)/)
    versions = `espeak-ng ${espeak}, LAME ${lame}`
  } catch (error) {
    const missing = error instanceof SpeechProgramError && error.missing
    return {
      renderer: undefined,
      report: {
        synthesizer: 'tones',
        outcome: options.speech === 'auto' && missing ? 'unavailable' : 'failed',
        detail: `${(error as Error).message}; recordings are tones (install: apt-get install espeak-ng lame)`,
      },
    }
  }
  const work = (Object.keys(RECORDING_LINES) as Voice[]).flatMap((voice) =>
    RECORDING_LINES[voice].map((text) => ({ voice, text })),
  )
  const lines = new Map<string, Line>()
  try {
    for (let i = 0; i < work.length; i += CONCURRENCY) {
      const batch = work.slice(i, i + CONCURRENCY)
      const rendered = await Promise.all(batch.map((w) => renderLine(options, w.text, w.voice)))
      rendered.forEach((line, j) => {
        const w = batch[j]
        if (w) lines.set(keyOf(w.text, w.voice), line)
      })
    }
  } catch (error) {
    return {
      renderer: undefined,
      report: {
        synthesizer: 'tones',
        outcome: 'failed',
        detail: `${(error as Error).message}; recordings are tones`,
      },
    }
  }
  return {
    renderer: new PrerenderedSpeech(lines),
    report: {
      synthesizer: 'espeak-ng',
      outcome: 'ready',
      detail: `${versions}: ${String(lines.size)} lines`,
    },
  }
}
