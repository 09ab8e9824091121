import { describe, expect, it } from 'vitest'
import { blank } from './body-limits.js'

describe('blank', () => {
  it('says what `text.trim() === ""` says, for JSON and for every kind of white space', () => {
    const texts = [
      '',
      ' ',
      '\t\n\r ',
      '\u00a0\u2028\ufeff',
      '{}',
      ' {"a":1} ',
      '\n[1]',
      'x',
      '\u00e9',
      '\u00a0x',
    ]
    for (const text of texts) expect([text, blank(text)]).toEqual([text, text.trim() === ''])
  })
})
