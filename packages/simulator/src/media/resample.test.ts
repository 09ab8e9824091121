import { describe, expect, it } from 'vitest'
import { resample } from './resample.js'

/** `seconds` of a sine of `hz` at `rate`, peaking at `amplitude`. */
function sine(
  hz: number,
  rate: number,
  { seconds, amplitude }: { seconds: number; amplitude: number },
): Int16Array {
  return Int16Array.from({ length: Math.round(rate * seconds) }, (_, i) =>
    Math.round(amplitude * Math.sin((2 * Math.PI * hz * i) / rate)),
  )
}

/** The amplitude of `hz` in `samples` (a single-bin DFT over the middle, away from the edges). */
function amplitudeAt(samples: Int16Array, rate: number, hz: number): number {
  const from = Math.round(samples.length * 0.25)
  const to = Math.round(samples.length * 0.75)
  let re = 0
  let im = 0
  for (let i = from; i < to; i += 1) {
    re += (samples[i] ?? 0) * Math.cos((2 * Math.PI * hz * i) / rate)
    im += (samples[i] ?? 0) * Math.sin((2 * Math.PI * hz * i) / rate)
  }
  return (2 * Math.hypot(re, im)) / (to - from)
}

describe('resample', () => {
  it('keeps a tone below the new Nyquist frequency at its pitch and level', () => {
    for (const to of [16_000, 8_000]) {
      const out = resample(sine(1_000, 22_050, { seconds: 1, amplitude: 10_000 }), 22_050, to)
      expect(out.length).toBe(to)
      expect(amplitudeAt(out, to, 1_000)).toBeGreaterThan(9_800)
      expect(amplitudeAt(out, to, 1_000)).toBeLessThan(10_200)
    }
  })

  it('removes a tone above the new Nyquist frequency instead of folding it back', () => {
    // 6 kHz at 8 kHz would alias to 2 kHz.
    const out = resample(sine(6_000, 22_050, { seconds: 1, amplitude: 10_000 }), 22_050, 8_000)
    expect(amplitudeAt(out, 8_000, 2_000)).toBeLessThan(100)
  })

  it('copies when the rates are equal and refuses rates that are not whole positive numbers', () => {
    const input = sine(440, 8_000, { seconds: 0.1, amplitude: 1_000 })
    expect(resample(input, 8_000, 8_000)).toEqual(input)
    expect(() => resample(input, 22_050, 0)).toThrow(
      /expected whole positive rates, received 22050 → 0/,
    )
    expect(() => resample(input, 22_050.5, 8_000)).toThrow(/expected whole positive rates/)
  })
})
