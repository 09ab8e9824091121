import type { Emission } from '@ccai-sim/fixtures'

/** What the journal keeps of an emission, and what is compared. */
type Compared = Readonly<Pick<Emission, 'contract' | 'key' | 'payload'> & { surface: string }>

/** The stable text of an emission, as compared. */
function emissionText(e: Compared): string {
  return JSON.stringify({
    surface: e.surface,
    contract: e.contract,
    key: e.key,
    payload: e.payload,
  })
}

/**
 * Compares what was published with what the replay gave: the replayed emissions the published
 * side knows (a live session has not published its later ones yet), in order.
 */
export function compareEmissions(
  published: readonly Compared[],
  replayed: readonly Compared[],
): {
  readonly identical: boolean
  readonly index: number
  readonly a: string | null
  readonly b: string | null
} {
  const keys = new Set(published.map((e) => e.key))
  const expected = published.map(emissionText)
  const got = replayed.filter((e) => keys.has(e.key)).map(emissionText)
  const index = expected.findIndex((text, i) => got[i] !== text)
  if (index === -1 && got.length === expected.length)
    return { identical: true, index: -1, a: null, b: null }
  const at = index === -1 ? expected.length : index
  return { identical: false, index: at, a: expected[at] ?? null, b: got[at] ?? null }
}
