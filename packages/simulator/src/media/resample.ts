/*
 * Sample-rate conversion for synthesized speech: espeak-ng speaks at 22 050 Hz, recordings are
 * 16 kHz (MP3) and 8 kHz (WAV). A windowed-sinc interpolator (Hann window, 16 zero crossings
 * each side) with its cut-off below the lower Nyquist frequency, so 22 050 → 8 000 does not fold
 * the 4–11 kHz band back into the voice. Plain arithmetic on the samples: the same input gives the
 * same output on every run (the recordings' bytes depend on it).
 */

/** Zero crossings of the sinc on each side of an output sample. */
const ZERO_CROSSINGS = 16

/** The cut-off as a fraction of the lower Nyquist frequency: room for the filter's transition. */
const CUTOFF = 0.9

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b)
}

/**
 * The kernels of a conversion: the rates are whole numbers, so output sample `i` sits at input
 * position `i × step / phases`, and its fractional part takes only `phases` values. One kernel per
 * value, computed once: the conversion itself is multiply-adds (no trigonometry per sample).
 */
interface Kernels {
  readonly phases: number
  readonly step: number
  readonly halfWidth: number
  /** `phases` kernels of `2 × halfWidth + 1` taps, the first tap at `floor(position) − halfWidth`. */
  readonly taps: Float64Array
}

const kernelCache = new Map<string, Kernels>()

function kernelsFor(fromRate: number, toRate: number): Kernels {
  const key = `${String(fromRate)}/${String(toRate)}`
  const cached = kernelCache.get(key)
  if (cached) return cached
  const divisor = gcd(fromRate, toRate)
  const phases = toRate / divisor
  const step = fromRate / divisor
  // Cut-off in cycles per input sample; the kernel widens as it narrows (downsampling).
  const cutoff = (CUTOFF * Math.min(1, toRate / fromRate)) / 2
  const halfWidth = Math.ceil(ZERO_CROSSINGS / (2 * cutoff))
  const width = 2 * halfWidth + 1
  const taps = new Float64Array(phases * width)
  for (let phase = 0; phase < phases; phase += 1) {
    const fraction = ((phase * step) % phases) / phases
    for (let k = 0; k < width; k += 1) {
      const x = k - halfWidth - fraction
      const sinc = x === 0 ? 2 * cutoff : Math.sin(2 * Math.PI * cutoff * x) / (Math.PI * x)
      const window = Math.abs(x) >= halfWidth ? 0 : 0.5 + 0.5 * Math.cos((Math.PI * x) / halfWidth)
      taps[phase * width + k] = sinc * window
    }
  }
  const kernels = { phases, step, halfWidth, taps }
  kernelCache.set(key, kernels)
  return kernels
}

/** 16-bit mono PCM from `fromRate` to `toRate` Hz (whole numbers; the same rate: a copy). */
export function resample(input: Int16Array, fromRate: number, toRate: number): Int16Array {
  if (!Number.isInteger(fromRate) || !Number.isInteger(toRate) || fromRate <= 0 || toRate <= 0) {
    throw new RangeError(
      `resample: expected whole positive rates, received ${String(fromRate)} → ${String(toRate)}`,
    )
  }
  if (fromRate === toRate) return input.slice()
  const { phases, step, halfWidth, taps } = kernelsFor(fromRate, toRate)
  const width = 2 * halfWidth + 1
  const length = Math.floor((input.length * toRate) / fromRate)
  const out = new Int16Array(length)
  for (let i = 0; i < length; i += 1) {
    const base = Math.floor((i * step) / phases) - halfWidth
    const kernel = (i % phases) * width
    let sum = 0
    for (let k = 0; k < width; k += 1) {
      const j = base + k
      if (j >= 0 && j < input.length) sum += (input[j] ?? 0) * (taps[kernel + k] ?? 0)
    }
    out[i] = Math.max(-32768, Math.min(32767, Math.round(sum)))
  }
  return out
}
