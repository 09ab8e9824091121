import { describe, expect, it } from 'vitest'
import { escapeHtml } from './html.js'

describe('escapeHtml (the simulator pages)', () => {
  it('makes markup and both quote characters inert, in content and in quoted attributes', () => {
    expect(escapeHtml(`<img src=x onerror="a('b')"> & co`)).toBe(
      '&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt; &amp; co',
    )
  })

  it('returns text with nothing to escape as it is', () => {
    expect(escapeHtml('Inbound call from +12223334444')).toBe('Inbound call from +12223334444')
    expect(escapeHtml('')).toBe('')
  })
})
