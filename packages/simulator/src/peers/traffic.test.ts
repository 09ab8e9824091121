import { describe, expect, it } from 'vitest'
import { PeerTraffic } from './traffic.js'

describe('PeerTraffic', () => {
  it('counts every message by direction and keeps only the newest, oldest first', () => {
    let now = Date.parse('2026-01-15T14:00:00.000Z')
    const traffic = new PeerTraffic(() => now, 3)
    for (const name of ['a', 'b', 'c', 'd', 'e']) {
      traffic.record(name === 'b' ? 'out' : 'in', 'ws#1', name)
      now += 1_000
    }
    const snapshot = traffic.snapshot()
    expect(snapshot.messagesIn).toBe(4)
    expect(snapshot.messagesOut).toBe(1)
    expect(snapshot.recent.map((m) => m.name)).toEqual(['c', 'd', 'e'])
    expect(snapshot.recent[0]).toEqual({
      at: '2026-01-15T14:00:02.000Z',
      direction: 'in',
      client: 'ws#1',
      name: 'c',
    })
  })
})
