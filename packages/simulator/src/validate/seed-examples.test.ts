import { getContract } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import examples from './golden/seed-examples.json' with { type: 'json' }
import { validatePayload } from './validate-payloads.js'

/**
 * Every whole payload the seed documents print (seeds/000 adapter events and generic-API bodies,
 * 002 VTA events, 004 QM items), as printed: only `//` comments and trailing commas are taken out
 * (and, where marked, the commas a page copy lost are put back). Fragments the pages print (a
 * redaction event's data object, Expertflow socket arguments, Harmony bodies with `true | false`
 * placeholders) are not payloads on their own; the catalog holds them framed (`src/golden/`).
 */
interface SeedExample {
  readonly seed: string
  readonly line: number
  readonly contract: string
  readonly catalogExample: string
  readonly printed: string
  readonly payload: unknown
}

const SEED_EXAMPLES = examples as readonly SeedExample[]
const isBareItem = (example: SeedExample): boolean => example.printed.startsWith('bare QM item')

describe('the seed documents’ examples', () => {
  it('are all here: adapter, generic API, VTA and QM examples of seeds 000, 002 and 004', () => {
    const seeds = new Set(SEED_EXAMPLES.map((example) => example.seed))
    expect([...seeds].sort()).toEqual(['000', '002', '004'])
    const families = new Set(SEED_EXAMPLES.map((example) => example.contract.split('.')[0]))
    expect([...families].sort()).toEqual(['adapter', 'crm', 'qm', 'vta'])
  })

  it.each(SEED_EXAMPLES.map((example) => [`${example.seed}:${example.line}`, example] as const))(
    'seed %s is accepted by validate as its contract',
    (_, example) => {
      const verdict = validatePayload(
        {
          kind: 'payload',
          location: `seed ${example.seed}:${example.line}`,
          value: example.payload,
        },
        { mode: 'tolerant' },
      )
      expect(verdict.issues).toEqual([])
      expect(verdict).toMatchObject({ ok: true, contract: example.contract, how: 'detected' })
      const envelopeNotes = verdict.notes.filter((note) => note.code === 'missing_envelope')
      expect(envelopeNotes).toHaveLength(isBareItem(example) ? 1 : 0)
    },
  )

  it('each is one of the catalog’s golden examples (a bare item, inside its envelope)', () => {
    for (const example of SEED_EXAMPLES) {
      const golden = getContract(example.contract).examples.find(
        (entry) => entry.name === example.catalogExample,
      )
      expect(golden, `${example.seed}:${example.line}`).toBeDefined()
      const payload = golden?.payload as { item?: unknown } | undefined
      expect(isBareItem(example) ? payload?.item : payload).toEqual(example.payload)
    }
  })
})
