import { describe, expect, it } from 'vitest'
import { CATALOG, detectContract, detectionSignature, getContract } from './catalog.js'
import { checkPayload } from '../check.js'
import type { Contract } from './contract.js'
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

  it('tells without checking the contract detection settles on, when the accept test says yes to it', () => {
    // The exact test: passes, with no notes.
    const clean = (contract: Contract, value: unknown): boolean => {
      const result = checkPayload(contract.schema, value, { mode: 'tolerant' })
      return result.ok && result.notes.length === 0
    }
    let settled = 0
    for (const contract of CATALOG) {
      for (const example of contract.examples) {
        const found = detector.accepted(example.payload, clean)
        const detected = detector.detect(example.payload)
        if (found === undefined) continue
        settled += 1
        expect(found.id, `${contract.id} ${example.name}`).toBe(detected?.contract.id)
        expect(detected?.matched && detected.result.notes.length === 0).toBe(true)
      }
    }
    expect(settled).toBeGreaterThan(CATALOG.length)
  })

  it('asks the next candidate as specific as the first when the first says no, as detection does', () => {
    // metadata.call, apps-api.call and crm.upload.response all fit by shape alone (no type key).
    const payload = firstExample('metadata.call')
    const candidates = detector.candidates(payload).map((c) => c.id)
    expect(candidates.slice(0, 2)).toEqual(['metadata.call', 'apps-api.call'])
    const asked: string[] = []
    const found = detector.accepted(payload, (contract) => {
      asked.push(contract.id)
      return contract.id === 'apps-api.call'
    })
    expect(found?.id).toBe('apps-api.call')
    expect(asked).toEqual(['metadata.call', 'apps-api.call'])
  })

  it('leaves to checking a payload whose only yes comes from a less specific candidate', () => {
    // A pinned `ujet.type` outranks the shape-only session variable: had the text failed with
    // notes, detection would report the text, so a yes from the session variable settles nothing.
    const payload = firstExample('vta.ujet.text')
    expect(detector.candidates(payload).map((c) => c.id)).toEqual([
      'vta.ujet.text',
      'vta.ujet.session_variable',
    ])
    expect(
      detector.accepted(payload, (contract) => contract.id === 'vta.ujet.session_variable'),
    ).toBeUndefined()
    expect(detector.accepted(payload, () => true)?.id).toBe('vta.ujet.text')
    expect(detector.accepted('not an object', () => false)).toBeUndefined()
  })
})
