import { buildContract, createSeededFaker } from '@ccai-sim/fixtures'
import { acceptorFor, CATALOG, type CheckMode } from '@ccai-sim/schemas'
import { describe, expect, it } from 'vitest'
import type { PayloadSource } from './read-payloads.js'
import { validatePayload, type PayloadVerdict } from './validate-payloads.js'

const SEEDS = 12
/** Broken payloads cost a full check each (and the closest-contract search): fewer seeds, more breaks. */
const BROKEN_SEEDS = 5
const BREAKS = 3
const MODES: readonly CheckMode[] = ['tolerant', 'strict']

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** Every place in a payload a mutation can hit: the container and the key or index. */
function slots(
  value: Json,
  out: { parent: Json[] | Record<string, Json>; key: string | number }[] = [],
) {
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      out.push({ parent: value, key: index })
      slots(item, out)
    })
  } else if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      out.push({ parent: value, key })
      slots(item, out)
    }
  }
  return out
}

const REPLACEMENTS: readonly Json[] = [
  null,
  '',
  'x',
  0,
  -1,
  1.5,
  2 ** 60,
  true,
  [],
  {},
  'New_Chatt',
]

/** One seeded break of a clean payload: a key dropped, added, renamed, or its value replaced. */
function mutate(payload: unknown, seed: number): unknown {
  const faker = createSeededFaker(seed)
  const copy = structuredClone(payload) as Json
  const places = slots(copy)
  const place = places.length > 0 ? faker.helpers.arrayElement(places) : undefined
  if (!place) return faker.helpers.arrayElement(REPLACEMENTS)
  const { parent, key } = place
  const kind = faker.number.int({ min: 0, max: 3 })
  if (Array.isArray(parent) && typeof key === 'number') {
    if (kind === 0) parent.splice(key, 1)
    else parent[key] = faker.helpers.arrayElement(REPLACEMENTS)
    return copy
  }
  const record = parent as Record<string, Json>
  const name = String(key)
  if (kind === 0) Reflect.deleteProperty(record, name)
  else if (kind === 1) record[`${name}_extra`] = 'unexpected'
  else if (kind === 2) {
    record[name.toUpperCase() === name ? `${name}x` : name.toUpperCase()] = record[name] ?? null
    Reflect.deleteProperty(record, name)
  } else record[name] = faker.helpers.arrayElement(REPLACEMENTS)
  return copy
}

function both(value: unknown, mode: CheckMode, contract?: (typeof CATALOG)[number]) {
  const source: PayloadSource = { kind: 'payload', location: 'x', value }
  const full = validatePayload(source, { mode, contract, acceptPath: false })
  const fast = validatePayload(source, { mode, contract })
  return { full, fast }
}

const brief = (verdict: PayloadVerdict) => ({
  ok: verdict.ok,
  contract: verdict.contract,
  how: verdict.how,
  issues: verdict.issues,
  notes: verdict.notes,
})

describe('the accept path', () => {
  it('gives the verdict of the full Zod check for every builder, seed and mode', () => {
    let accepted = 0
    let fast = 0
    let total = 0
    for (const contract of CATALOG) {
      for (let seed = 1; seed <= SEEDS; seed++) {
        const payload = buildContract(contract.id, undefined, { seed })
        for (const mode of MODES) {
          const detected = both(payload, mode)
          expect(brief(detected.fast), `${contract.id} seed ${seed} ${mode}`).toEqual(
            brief(detected.full),
          )
          const given = both(payload, mode, contract)
          expect(brief(given.fast), `${contract.id} seed ${seed} ${mode} given`).toEqual(
            brief(given.full),
          )
          total += 1
          if (given.full.ok) accepted += 1
          if (acceptorFor(contract.schema, mode)(payload)) fast += 1
        }
      }
    }
    // The builders make valid payloads, and nearly all of them take the accept path: the
    // comparison above covered it, not only the full way.
    expect(accepted).toBe(total)
    expect(fast).toBeGreaterThan(total * 0.95)
  })

  it('agrees with the full check on broken payloads: keys dropped, added, renamed, values replaced', () => {
    let failed = 0
    let total = 0
    for (const contract of CATALOG) {
      for (let seed = 1; seed <= BROKEN_SEEDS; seed++) {
        const clean = buildContract(contract.id, undefined, { seed })
        for (let round = 0; round < BREAKS; round++) {
          const broken = mutate(clean, seed * 100 + round)
          for (const mode of MODES) {
            const detected = both(broken, mode)
            expect(
              brief(detected.fast),
              `${contract.id} seed ${seed} round ${round} ${mode}: ${JSON.stringify(broken).slice(0, 300)}`,
            ).toEqual(brief(detected.full))
            const given = both(broken, mode, contract)
            expect(
              brief(given.fast),
              `${contract.id} seed ${seed} round ${round} ${mode} given`,
            ).toEqual(brief(given.full))
            total += 1
            if (!given.full.ok) failed += 1
          }
        }
      }
    }
    // Most mutations break the payload, so the rejecting side was exercised too.
    expect(failed).toBeGreaterThan(total / 4)
  }, 180_000)

  it('sends a payload with an unknown key down the full way, so its note is still reported', () => {
    const payload = buildContract('adapter.New_Chat', undefined, { seed: 3 }) as Record<
      string,
      unknown
    >
    const verdict = validatePayload(
      { kind: 'payload', location: 'x', value: { ...payload, crm_hint: 'vip' } },
      { mode: 'tolerant' },
    )
    expect(verdict).toMatchObject({ ok: true, contract: 'adapter.New_Chat', how: 'detected' })
    expect(verdict.notes.map((note) => note.path)).toEqual(['crm_hint'])
  })

  it('reports a payload that fails only --strict as its own contract, not as a bare item or an unknown type', () => {
    const item = (buildContract('qm.ChatState', undefined, { seed: 2 }) as { item: object }).item
    const payload = { type: 'ChatState', item: { ...item, crm_hint: 'vip' } }
    const verdict = validatePayload(
      { kind: 'payload', location: 'x', value: payload },
      { mode: 'strict' },
    )
    expect(verdict).toMatchObject({ ok: false, contract: 'qm.ChatState' })
    expect(verdict.issues.map((issue) => issue.code)).toEqual(['unrecognized_keys'])
  })
})
