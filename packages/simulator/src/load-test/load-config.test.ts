import { DEFAULT_SCENARIO_MIX } from '@ccai-sim/fixtures'
import { describe, expect, it } from 'vitest'
import {
  decodeLoadSessionId,
  loadSessionId,
  loadTestStory,
  parseLoadTestConfig,
  runnerBlock,
  runnerKey,
  SESSIONS_PER_RUNNER,
} from './load-config.js'

describe('load-test sessions', () => {
  it('gives every session of every runner its own id, below the schemas’ 10^15', () => {
    const ids = new Set<number>()
    for (const runnerId of ['r1', 'r2', 'eu-1', 'us-east-1']) {
      for (const localWorker of ['1', '2', '3']) {
        const key = runnerKey({ runnerId, localWorker })
        for (let n = 0; n < 200; n += 1) ids.add(loadSessionId(key, n))
      }
    }
    expect(ids.size).toBe(4 * 3 * 200)
    expect(Math.max(...ids)).toBeLessThan(1e15)
    expect(loadSessionId('k', SESSIONS_PER_RUNNER - 1)).toBeLessThan(1e15)
  })

  it('decodes an id back to its runner block and session number', () => {
    const key = runnerKey({ runnerId: 'r9', cloudWorker: 'abc', localWorker: '4' })
    expect(decodeLoadSessionId(loadSessionId(key, 123))).toEqual({
      block: runnerBlock(key),
      n: 123,
    })
  })

  it('refuses a session number past what a runner can number', () => {
    expect(() => loadSessionId('k', SESSIONS_PER_RUNNER)).toThrow(/session number: expected 0 to/)
  })

  it('replays the same customers for the same runner and different ones for another runner', () => {
    const config = { seed: 3, mix: DEFAULT_SCENARIO_MIX }
    const a = loadTestStory(config, runnerKey({ runnerId: 'a' }), 5)
    expect(loadTestStory(config, runnerKey({ runnerId: 'a' }), 5)).toEqual(a)
    const b = loadTestStory(config, runnerKey({ runnerId: 'b' }), 5)
    expect(b.id).not.toBe(a.id)
    expect(b.endUser.phone).not.toBe(a.endUser.phone)
  })

  it('draws scenarios from the mix only', () => {
    const key = runnerKey({ runnerId: 'mix' })
    const scenarios = new Set(
      Array.from(
        { length: 40 },
        (_, n) =>
          loadTestStory(
            { seed: 1, mix: { 'outbound-call': 1, 'chat-cobrowse': 1, 'campaign-call': 0 } },
            key,
            n,
          ).scenario,
      ),
    )
    expect([...scenarios].sort()).toEqual(['chat-cobrowse', 'outbound-call'])
  })

  it('names the field of a bad configuration', () => {
    expect(() =>
      parseLoadTestConfig({ version: 1, seed: 1, runnerId: 'r', mix: { nope: 1 }, timeScale: 0 }),
    ).toThrow(/mix\.nope[\s\S]*timeScale/)
  })
})
