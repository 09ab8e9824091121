import { z } from 'zod'
import { describe, expect, it } from 'vitest'
import { acceptorFor } from './accept.js'
import { checkPayload, type CheckMode } from './check.js'
import { tolerantOnly } from './internal/modes.js'
import { CATALOG } from './catalog/catalog.js'

const Sample = z.object({
  type: z.literal('New_Call'),
  id: z.int().gt(0),
  name: z
    .string()
    .min(2)
    .regex(/^[a-z]+$/),
  email: z.email().optional(),
  status: z.enum(['a', 'b']).nullable(),
  subStatus: z.string().optional(),
  sub_status: tolerantOnly(z.string().optional()),
  tags: z.array(z.string()).max(2).optional(),
  meta: z.record(z.string(), z.number()).optional(),
  scores: z.record(z.enum(['x', 'y']), z.number()).optional(),
  kind: z
    .discriminatedUnion('k', [
      z.object({ k: z.literal('a'), n: z.number() }),
      z.object({ k: z.literal('b'), s: z.string() }),
    ])
    .optional(),
  any: z.unknown(),
  pair: z
    .object({ from: z.number(), to: z.number() })
    .refine((value) => value.from <= value.to, 'from after to')
    .optional(),
})

const base = { type: 'New_Call', id: 3, name: 'ada', status: 'a', any: 1 }

/** The accept path's promise: a yes only where Zod says ok with no notes. */
function agrees(value: unknown, mode: CheckMode): boolean {
  const zod = checkPayload(Sample, value, { mode })
  const fast = acceptorFor(Sample, mode)(value)
  if (fast) expect(zod.ok && zod.notes.length === 0).toBe(true)
  return fast
}

describe('acceptorFor', () => {
  it('accepts a clean payload in both modes', () => {
    expect(agrees(base, 'tolerant')).toBe(true)
    expect(agrees(base, 'strict')).toBe(true)
  })

  it('says no to a payload Zod rejects: wrong literal, bounds, pattern, enum, missing key', () => {
    for (const broken of [
      { ...base, type: 'New_Chatt' },
      { ...base, id: 0 },
      { ...base, id: 1.5 },
      { ...base, name: 'a' },
      { ...base, name: 'Ada' },
      { ...base, status: 'c' },
      { ...base, tags: ['a', 'b', 'c'] },
      { type: 'New_Call', id: 3, name: 'ada', status: 'a' },
      [base],
      null,
    ]) {
      expect(agrees(broken, 'tolerant'), JSON.stringify(broken)).toBe(false)
      expect(checkPayload(Sample, broken).ok).toBe(false)
    }
  })

  it('says no to an unknown key in tolerant mode, where Zod would report it as a note', () => {
    const value = { ...base, crm_hint: 'vip' }
    expect(agrees(value, 'tolerant')).toBe(false)
    expect(checkPayload(Sample, value).notes).toHaveLength(1)
  })

  it('accepts a documented alternate only in tolerant mode', () => {
    const value = { ...base, sub_status: 'x' }
    expect(agrees(value, 'tolerant')).toBe(true)
    expect(agrees(value, 'strict')).toBe(false)
  })

  it('reads a discriminated union by its discriminator only, as Zod does', () => {
    expect(agrees({ ...base, kind: { k: 'a', n: 1 } }, 'tolerant')).toBe(true)
    expect(agrees({ ...base, kind: { k: 'b', s: 'x' } }, 'strict')).toBe(true)
    expect(agrees({ ...base, kind: { k: 'a', s: 'x' } }, 'tolerant')).toBe(false)
    expect(agrees({ ...base, kind: { k: 'c', n: 1 } }, 'tolerant')).toBe(false)
    expect(agrees({ ...base, kind: { n: 1 } }, 'tolerant')).toBe(false)
    expect(agrees({ ...base, kind: ['a'] }, 'tolerant')).toBe(false)
  })

  it('checks every key and value of an open record, and leaves enum-keyed records to Zod', () => {
    expect(agrees({ ...base, meta: { a: 1, b: 2 } }, 'tolerant')).toBe(true)
    expect(agrees({ ...base, meta: {} }, 'strict')).toBe(true)
    expect(agrees({ ...base, meta: { a: 1, b: 'x' } }, 'tolerant')).toBe(false)
    expect(agrees({ ...base, meta: [1] }, 'tolerant')).toBe(false)
    expect(agrees({ ...base, meta: JSON.parse('{"__proto__": 1}') as unknown }, 'tolerant')).toBe(
      false,
    )
    expect(agrees({ ...base, scores: { x: 1, y: 2 } }, 'tolerant')).toBe(true)
    expect(agrees({ ...base, scores: { x: 1 } }, 'tolerant')).toBe(false)
  })

  it('leaves refinements and string formats to Zod, and agrees with it there', () => {
    expect(agrees({ ...base, pair: { from: 2, to: 1 } }, 'tolerant')).toBe(false)
    expect(agrees({ ...base, pair: { from: 1, to: 2 } }, 'tolerant')).toBe(true)
    expect(agrees({ ...base, email: 'not an address' }, 'tolerant')).toBe(false)
    expect(agrees({ ...base, email: 'ada@example.com' }, 'tolerant')).toBe(true)
    expect(agrees({ ...base, meta: { a: 'x' } }, 'tolerant')).toBe(false)
    expect(agrees({ ...base, meta: { a: 1 } }, 'strict')).toBe(true)
  })

  it('accepts every golden example Zod accepts cleanly, and nothing Zod does not', () => {
    for (const contract of CATALOG) {
      for (const example of contract.examples) {
        for (const mode of ['tolerant', 'strict'] as const) {
          const zod = checkPayload(contract.schema, example.payload, { mode })
          const fast = acceptorFor(contract.schema, mode)(example.payload)
          expect(fast, `${contract.id} ${example.name} ${mode}`).toBe(
            zod.ok && zod.notes.length === 0,
          )
        }
      }
    }
  })
})
