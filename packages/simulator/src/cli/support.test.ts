import { describe, expect, it } from 'vitest'
import { createProgress, flagsOf, nearestName } from './support.js'

describe('nearestName', () => {
  it('finds a flag one slip away, and a prefix', () => {
    expect(nearestName('--prot', ['--port', '--host', '--seed'])).toBe('--port')
    expect(nearestName('--stor', ['--storage-dir', '--no-storage'])).toBe('--storage-dir')
  })

  it('prefers the name that differs only in letter case over a prefix', () => {
    // 'ab' is a prefix of 'abc', yet 'AB' is the very name with its case fixed.
    expect(nearestName('ab', ['abc', 'AB'])).toBe('AB')
    expect(nearestName('adapter.new_call', ['adapter.New_Chat', 'adapter.New_Call'])).toBe(
      'adapter.New_Call',
    )
  })

  it('suggests nothing when no candidate is close', () => {
    expect(nearestName('--colour', ['--seed', '--count', '--ref-date'])).toBeUndefined()
    expect(nearestName('--x', [])).toBeUndefined()
  })
})

describe('flagsOf', () => {
  it('lists the flags a usage text documents, once each', () => {
    expect(flagsOf('  --port <n>  the port (--port 0 picks one)\n  --no-email  off')).toEqual([
      '--port',
      '--no-email',
    ])
  })
})

describe('createProgress', () => {
  it('draws nothing when disabled (stdout is not a terminal)', () => {
    const written: string[] = []
    const progress = createProgress({ enabled: false, label: 'x', write: (t) => written.push(t) })
    progress.update(1, 2)
    progress.clear()
    expect(written).toEqual([])
  })

  it('redraws one line at most once per interval and clears it', () => {
    const written: string[] = []
    let now = 0
    const progress = createProgress({
      enabled: true,
      label: 'fixtures',
      write: (t) => written.push(t),
      intervalMs: 100,
      now: () => now,
    })
    progress.update(1, 4)
    now = 50
    progress.update(2, 4)
    now = 150
    progress.update(3, 4)
    progress.clear()
    progress.clear()
    expect(written).toEqual([
      '\r\u001b[Kfixtures 1/4 (25%)',
      '\r\u001b[Kfixtures 3/4 (75%)',
      '\r\u001b[K',
    ])
  })
})
