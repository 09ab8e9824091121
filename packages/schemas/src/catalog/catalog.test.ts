import { describe, expect, it } from 'vitest'
import { checkContract, CATALOG, detectContract, getContract } from './catalog.js'
import { CONTRACT_FAMILIES, type Contract } from './contract.js'
import { GOLDEN_EXAMPLES } from './golden.js'
import type { CheckIssue } from '../internal/issues.js'

function names(issues: readonly CheckIssue[], key: string): boolean {
  return issues.some(
    (issue) =>
      issue.path === key || issue.path.startsWith(`${key}.`) || issue.path.startsWith(`${key}[`),
  )
}

const WRONG_VALUES: readonly unknown[] = [{ wrong: true }, 'wrong', -1.5, [], true]

/** The first top-level key whose removal makes the example fail: a required key. */
function requiredKeyOf(contract: Contract, payload: Record<string, unknown>): string | undefined {
  return Object.keys(payload).find((key) => {
    const { [key]: _removed, ...rest } = payload
    return !checkContract(contract, rest, { mode: 'tolerant' }).ok
  })
}

describe('the contract catalog', () => {
  it('covers every family', () => {
    const families = new Set(CATALOG.map((c) => c.family))
    expect([...CONTRACT_FAMILIES].filter((f) => !families.has(f))).toEqual([])
  })

  it('gives every contract a stable, unique id prefixed by its family', () => {
    for (const contract of CATALOG) {
      expect(contract.id.startsWith(`${contract.family}.`), contract.id).toBe(true)
    }
    expect(new Set(CATALOG.map((c) => c.id)).size).toBe(CATALOG.length)
  })

  it('cites a source for every contract', () => {
    for (const contract of CATALOG) {
      expect(contract.source.document.length, contract.id).toBeGreaterThan(5)
    }
  })

  it('ties every golden example to a contract that exists', () => {
    const ids = new Set(CATALOG.map((c) => c.id))
    expect(GOLDEN_EXAMPLES.filter((g) => !ids.has(g.contract)).map((g) => g.contract)).toEqual([])
  })

  it('throws UNKNOWN_CONTRACT for an id not in the catalog', () => {
    expect(() => getContract('adapter.Nope')).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_CONTRACT' }),
    )
  })

  describe.each(CATALOG.map((c) => [c.id, c] as const))('%s', (_id, contract) => {
    it('has at least one golden example', () => {
      expect(contract.examples.length).toBeGreaterThan(0)
    })

    it('accepts each golden example in tolerant mode, and in strict mode unless marked', () => {
      for (const example of contract.examples) {
        const tolerant = checkContract(contract, example.payload, { mode: 'tolerant' })
        expect(tolerant.issues, example.name).toEqual([])
        const strict = checkContract(contract, example.payload, { mode: 'strict' })
        expect(
          strict.ok,
          `${example.name}: ${strict.issues.map((i) => i.message).join('; ')}`,
        ).toBe(example.strict !== false)
      }
    })

    it('detects each golden example as this contract', () => {
      for (const example of contract.examples) {
        expect(detectContract(example.payload)?.contract.id, example.name).toBe(contract.id)
      }
    })

    it('names the field when a required field is removed or has a wrong type', () => {
      const example = contract.examples[0]
      expect(example).toBeDefined()
      const payload = example?.payload
      if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
        const result = checkContract(contract, { wrong: true })
        expect(result.ok).toBe(false)
        expect(result.issues[0]?.path).toBe('$')
        return
      }
      const record = payload as Record<string, unknown>
      const key = requiredKeyOf(contract, record)
      expect(key, 'the golden example has no required top-level key').toBeDefined()
      if (key === undefined) return
      const { [key]: _removed, ...missing } = record
      const withoutKey = checkContract(contract, missing)
      expect(
        names(withoutKey.issues, key),
        withoutKey.issues.map((i) => i.message).join('; '),
      ).toBe(true)

      const wrongTyped = WRONG_VALUES.map((wrong) =>
        checkContract(contract, { ...record, [key]: wrong }),
      ).find((result) => !result.ok)
      expect(wrongTyped, `no wrong value for ${key} was rejected`).toBeDefined()
      expect(names(wrongTyped?.issues ?? [], key)).toBe(true)
    })
  })
})
