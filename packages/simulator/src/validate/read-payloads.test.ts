import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  parseDocument,
  readPayloads,
  streamDocument,
  streamJsonLines,
  streamJsonLinesFile,
  streamPayloads,
  type PayloadSource,
} from './read-payloads.js'

async function* chunksOf(...chunks: string[]): AsyncGenerator<string> {
  for (const chunk of chunks) {
    await Promise.resolve()
    yield chunk
  }
}

async function collect(batches: AsyncIterable<PayloadSource[]>): Promise<PayloadSource[]> {
  const out: PayloadSource[] = []
  for await (const batch of batches) out.push(...batch)
  return out
}

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-read-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('reading payloads', () => {
  it('reads a JSON Lines file past the old 130,000-line stack limit, in batches', async () => {
    const lines = 150_000
    await writeFile(join(dir, 'big.jsonl'), `${'1\n'.repeat(lines - 1)}{"n":2}`)
    let batches = 0
    let last: PayloadSource | undefined
    let count = 0
    for await (const batch of streamPayloads(join(dir, 'big.jsonl'), dir)) {
      batches += 1
      count += batch.length
      last = batch.at(-1)
    }
    expect(count).toBe(lines)
    expect(batches).toBeGreaterThan(1)
    expect(last).toEqual({ kind: 'payload', location: `big.jsonl:${lines}`, value: { n: 2 } })
    expect(await readPayloads(join(dir, 'big.jsonl'), dir)).toHaveLength(lines)
  }, 120_000)

  it('reads a file as bytes: non-ASCII text, CRLF, blank lines, a last line without newline, a line longer than the buffer', async () => {
    const long = 'é'.repeat(700_000) // 1.4 MB of two-byte characters: longer than one read
    const text = `{"name":"Zoë 🙂"}\r\n\n  \n{"long":"${long}"}\n{oops}\n["ü"]`
    await writeFile(join(dir, 'mixed.jsonl'), text)
    const sources = await collect(streamJsonLinesFile(join(dir, 'mixed.jsonl'), 'mixed.jsonl'))
    expect(sources).toEqual([
      { kind: 'payload', location: 'mixed.jsonl:1', value: { name: 'Zoë 🙂' } },
      { kind: 'payload', location: 'mixed.jsonl:4', value: { long } },
      { kind: 'malformed', location: 'mixed.jsonl:5:2', error: expect.any(String) as string },
      { kind: 'payload', location: 'mixed.jsonl:6', value: ['ü'] },
    ])
    // The same as the text reader gives.
    expect(await collect(streamJsonLines(chunksOf(text), 'mixed.jsonl'))).toEqual(sources)
    await writeFile(join(dir, 'empty.jsonl'), '')
    expect(await collect(streamJsonLinesFile(join(dir, 'empty.jsonl'), 'empty.jsonl'))).toEqual([])
  })

  it('keeps line numbers across chunk boundaries, skips blank lines and locates a malformed line', async () => {
    const sources = await collect(
      streamJsonLines(chunksOf('{"a":', '1}\n\n  \n{"b"', ':2}\r\n{oops}\n', '[3]'), 'x.jsonl'),
    )
    expect(sources).toEqual([
      { kind: 'payload', location: 'x.jsonl:1', value: { a: 1 } },
      { kind: 'payload', location: 'x.jsonl:4', value: { b: 2 } },
      { kind: 'malformed', location: 'x.jsonl:5:2', error: expect.any(String) as string },
      { kind: 'payload', location: 'x.jsonl:6', value: [3] },
    ])
  })

  it('streams stdin as JSON Lines when its first line is JSON and a second follows', async () => {
    const sources = await collect(
      streamDocument(chunksOf('{"a":1}\n{"a"', ':2}\n', '{"a":3}'), '<stdin>'),
    )
    expect(sources.map((s) => s.location)).toEqual(['<stdin>:1', '<stdin>:2', '<stdin>:3'])
  })

  it('reads stdin whole when it is one document: a pretty-printed value, a single line or an array', async () => {
    const pretty = await collect(streamDocument(chunksOf('{\n  "a": ', '1\n}\n'), '<stdin>'))
    expect(pretty).toEqual([{ kind: 'payload', location: '<stdin>', value: { a: 1 } }])
    const single = await collect(streamDocument(chunksOf('{"a":1}\n'), '<stdin>'))
    expect(single).toEqual([{ kind: 'payload', location: '<stdin>', value: { a: 1 } }])
    const array = await collect(streamDocument(chunksOf('[{"a":1},', '{"a":2}]'), '<stdin>'))
    expect(array.map((s) => s.location)).toEqual(['<stdin>[0]', '<stdin>[1]'])
    const broken = await collect(streamDocument(chunksOf('{\n  "a": \n}\n'), '<stdin>'))
    expect(broken).toEqual(parseDocument('{\n  "a": \n}\n', '<stdin>', 'auto'))
    expect(broken[0]?.kind).toBe('malformed')
  })
})
