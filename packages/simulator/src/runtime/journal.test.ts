import { describe, expect, it } from 'vitest'
import { Journal } from './journal.js'

function fill(journal: Journal, count: number): void {
  for (let i = 0; i < count; i++) journal.add({ at: i, type: 'reset' })
}

describe('Journal', () => {
  it('keeps the newest `limit` entries, counting those that dropped off', () => {
    const journal = new Journal(100)
    fill(journal, 1_050)
    const { entries, dropped, next } = journal.read({ limit: 1_000 })
    expect(entries.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 951 + i))
    expect(dropped).toBe(950)
    expect(next).toBe(1_050)
  })

  it('reads from just after `since`, at most `limit`, through many drops', () => {
    const journal = new Journal(100)
    for (let round = 0; round < 7; round++) {
      fill(journal, 37)
      const last = journal.read({ limit: 1_000 }).next
      expect(journal.read({ since: last - 5, limit: 3 }).entries.map((e) => e.seq)).toEqual([
        last - 4,
        last - 3,
        last - 2,
      ])
    }
    // Before what is kept: the oldest kept entry first.
    expect(journal.read({ since: 1, limit: 1 }).entries[0]?.seq).toBe(7 * 37 - 99)
    expect(journal.read({ since: 7 * 37 }).entries).toEqual([])
  })

  it('filters by type after `since`', () => {
    const journal = new Journal(100)
    journal.add({ at: 0, type: 'reset' })
    journal.add({ at: 1, type: 'agent', agentId: 1, command: 'login', presence: 'available' })
    journal.add({ at: 2, type: 'reset' })
    expect(journal.read({ type: 'reset' }).entries.map((e) => e.seq)).toEqual([1, 3])
    expect(journal.read({ since: 1, type: 'reset' }).entries.map((e) => e.seq)).toEqual([3])
  })

  it('starts empty again after clear, with seq still counting on', () => {
    const journal = new Journal(100)
    fill(journal, 150)
    journal.clear()
    journal.add({ at: 0, type: 'reset' })
    const { entries, dropped } = journal.read()
    expect(entries.map((e) => e.seq)).toEqual([151])
    expect(dropped).toBe(0)
  })
})
