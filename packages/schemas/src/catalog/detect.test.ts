import { describe, expect, it } from 'vitest'
import { CATALOG, detectContract, detectionSignature, getContract } from './catalog.js'
import { ContractDetector } from './detect.js'

const detector = new ContractDetector(CATALOG)

function firstExample(id: string): Record<string, unknown> {
  const payload = getContract(id).examples[0]?.payload
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload))
    throw new Error(`${id} has no object example`)
  return structuredClone(payload) as Record<string, unknown>
}

describe('contract detection', () => {
  it('gives every object contract a signature: keys it must have, or values it pins', () => {
    for (const contract of CATALOG) {
      const { alternatives } = detectionSignature(contract.id)
      if (contract.id === 'storage.path') {
        expect(alternatives, 'a storage path is a string, told apart by checking').toEqual([])
        continue
      }
      expect(alternatives.length, contract.id).toBeGreaterThan(0)
      for (const alternative of alternatives) {
        expect(
          alternative.required.length + alternative.literals.length,
          contract.id,
        ).toBeGreaterThan(0)
      }
    }
  })

  it('recognises session metadata and chat transcripts by their shape, without trying other contracts first', () => {
    for (const id of ['metadata.call', 'metadata.chat', 'transcript.chat']) {
      expect(detectionSignature(id).alternatives[0]?.required).toEqual(
        expect.arrayContaining(
          id === 'metadata.call'
            ? ['call_type', 'session_type']
            : id === 'metadata.chat'
              ? ['chat_type', 'session_type']
              : ['comm_type', 'entries'],
        ),
      )
      for (const example of getContract(id).examples) {
        expect(detector.candidates(example.payload)[0]?.id, example.name).toBe(id)
      }
    }
  })

  it('narrows a payload with a wire type key to the contracts pinning that value', () => {
    expect(detector.candidates(firstExample('adapter.New_Call')).map((c) => c.id)).toEqual([
      'adapter.New_Call',
    ])
    expect(detector.candidates(firstExample('expertflow.bargeIn')).map((c) => c.id)).toEqual([
      'expertflow.bargeIn',
    ])
    const ujet = detector.candidates(firstExample('vta.ujet.text')).map((c) => c.id)
    expect(ujet[0]).toBe('vta.ujet.text')
  })

  it('reports a broken payload against the contract its type key names, naming the field', () => {
    const payload = firstExample('adapter.New_Call')
    const data = payload['data'] as Record<string, unknown>
    const key = Object.keys(data)[0] ?? ''
    data[key] = { not: 'this' }
    const detection = detectContract(payload)
    expect(detection?.contract.id).toBe('adapter.New_Call')
    expect(detection?.matched).toBe(false)
    expect(detection?.result.issues.some((issue) => issue.path === `data.${key}`)).toBe(true)
  })

  it('prefers, among contracts that fit equally, the one that knows every key', () => {
    const comment = firstExample('crm.comment.request')
    expect(detectContract(comment)?.contract.id).toBe('crm.comment.request')
    expect(detectContract({ id: 'x1', url: 'https://crm.example/file/1' })?.contract.id).toBe(
      'crm.upload.response',
    )
  })

  it('gives the closest contract by shared keys when a payload fits none, and nothing when it shares none', () => {
    const closest = detectContract({ title: 'Bad request', status: 'four hundred' })
    expect(closest?.contract.id).toBe('common.problem')
    expect(closest?.matched).toBe(false)
    expect(closest?.result.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['type', 'status']),
    )
    expect(detectContract({ zzz: 1 })).toBeUndefined()
    expect(detectContract(42)).toEqual(
      expect.objectContaining({ matched: false, contract: getContract('storage.path') }),
    )
  })

  it('checks the contract found strictly when asked, so an unknown key fails', () => {
    const payload = { ...firstExample('adapter.New_Call'), surprise: true }
    expect(detectContract(payload)?.matched).toBe(true)
    const strict = detectContract(payload, { mode: 'strict' })
    expect(strict?.contract.id).toBe('adapter.New_Call')
    expect(strict?.matched).toBe(false)
    expect(strict?.result.issues[0]?.path).toBe('surprise')
  })

  it('looks only within the families given', () => {
    const payload = firstExample('adapter.New_Call')
    const elsewhere = detectContract(payload, { families: ['qm'] })
    expect(elsewhere?.contract.family).toBe('qm')
    expect(elsewhere?.matched).toBe(false)
    expect(detectContract(payload, { families: ['adapter'] })?.contract.id).toBe('adapter.New_Call')
  })
})
