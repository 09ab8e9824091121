import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { CATALOG, CONTRACT_FAMILIES, getContract, type GoldenExample } from '@ccai-sim/schemas'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CCAI_SIM_SOURCE_ARGS } from '../../test/support/cli-source.js'
import { runCli } from './main.js'

function memoryIo(cwd: string, stdin = '') {
  const out: string[] = []
  const err: string[] = []
  return {
    io: {
      cwd,
      stdout: (text: string) => out.push(text),
      stderr: (text: string) => err.push(text),
      readStdin: () => Promise.resolve(stdin),
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  }
}

/** One strict golden example per family, so the folder mixes every kind of payload. */
function onePerFamily(): GoldenExample[] {
  return CONTRACT_FAMILIES.flatMap((family) => {
    const example = CATALOG.filter((c) => c.family === family)
      .flatMap((c) => c.examples)
      .find(
        (e) =>
          e.strict !== false &&
          typeof e.payload === 'object' &&
          e.payload !== null &&
          !Array.isArray(e.payload),
      )
    return example ? [example] : []
  })
}

let dir = ''
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-sim-validate-'))
})
afterEach(async () => {
  await rm(dir, { recursive: true, force: true })
})

describe('ccai-sim validate', () => {
  it('reports each payload of a mixed folder against the right contract', async () => {
    const examples = onePerFamily()
    expect(examples.length).toBeGreaterThan(0)
    await mkdir(join(dir, 'nested'))
    for (const [i, example] of examples.entries()) {
      const file = i % 2 === 0 ? join(dir, `p${i}.json`) : join(dir, 'nested', `p${i}.json`)
      await writeFile(file, JSON.stringify(example.payload))
    }
    await writeFile(
      join(dir, 'all.jsonl'),
      examples.map((e) => JSON.stringify(e.payload)).join('\n'),
    )
    const run = memoryIo(dir)
    const code = await runCli(['validate', '.'], run.io)
    expect(run.stdout()).not.toContain('FAIL')
    expect(code).toBe(0)
    for (const [i, example] of examples.entries()) {
      expect(run.stdout()).toMatch(
        new RegExp(`ok {4}(nested/)?p${i}\\.json {2}${example.contract.replaceAll('.', '\\.')}\\n`),
      )
      expect(run.stdout()).toContain(`all.jsonl:${i + 1}  ${example.contract}\n`)
    }
  })

  it('accepts an unknown extra key in tolerant mode as a note and rejects it with --strict', async () => {
    const payload = { type: 'about:blank', title: 'Bad', status: 400, surprise: 'x' }
    await writeFile(join(dir, 'p.json'), JSON.stringify(payload))
    const tolerant = memoryIo(dir)
    expect(await runCli(['validate', 'p.json'], tolerant.io)).toBe(0)
    expect(tolerant.stdout()).toContain('note: surprise: unknown key, tolerated')
    const strict = memoryIo(dir)
    expect(await runCli(['validate', '--strict', 'p.json'], strict.io)).toBe(1)
    expect(strict.stdout()).toContain(
      'surprise: expected no such key (not in the documented contract), received string "x"',
    )
  })

  it('reports malformed JSON with its file and line, not a stack trace', async () => {
    await writeFile(join(dir, 'broken.json'), '{\n  "type": "x",\n  "title": \n}\n')
    await writeFile(join(dir, 'lines.jsonl'), '{"type":"x","title":"t","status":400}\n{oops}\n')
    const run = memoryIo(dir)
    expect(await runCli(['validate', '.'], run.io)).toBe(1)
    expect(run.stdout()).toMatch(/FAIL {2}broken\.json:4:1 {2}-\n {4}- malformed JSON: /)
    expect(run.stdout()).toMatch(/FAIL {2}lines\.jsonl:2:2 {2}-\n/)
    expect(run.stdout()).toContain('ok    lines.jsonl:1  common.problem')
    expect(run.stdout() + run.stderr()).not.toMatch(/\n\s+at /)
  })

  it('checks against the contract named by --contract and names the failing field', async () => {
    await writeFile(
      join(dir, 'p.json'),
      JSON.stringify({ type: 'x', title: 'Bad', status: 'four hundred' }),
    )
    const run = memoryIo(dir)
    expect(await runCli(['validate', '--contract', 'common.problem', 'p.json'], run.io)).toBe(1)
    expect(run.stdout()).toContain('status: expected number, received string "four hundred"')
  })

  it('exits 2 with a clear message for bad usage', async () => {
    const cases: [string[], RegExp][] = [
      [['validate'], /validate needs a file/],
      [['validate', 'missing.json'], /cannot read missing\.json: no such file or folder/],
      [
        ['validate', '--contract', 'adapter.Nope', '.'],
        /--contract: no contract with id "adapter\.Nope"/,
      ],
      [
        ['validate', '--contract', 'adapter.new_call', '.'],
        /--contract: no contract with id "adapter\.new_call"; did you mean adapter\.New_Call\?/,
      ],
      [
        ['validate', '--contract', 'adaptor.New_Cal', '.'],
        /--contract: no contract with id "adaptor\.New_Cal"; did you mean adapter\.New_Call\?/,
      ],
      [['validate', '--bogus', '.'], /--bogus: unknown option/],
      [['frobnicate'], /unknown command "frobnicate"/],
      [['schemas'], /--out: expected a folder/],
    ]
    for (const [args, message] of cases) {
      const run = memoryIo(dir)
      expect(await runCli(args, run.io), args.join(' ')).toBe(2)
      expect(run.stderr()).toMatch(message)
    }
  })

  it('prints only failing payloads with --failures, and a JSON report that parses with --json', async () => {
    const good = '{"type":"x","title":"t","status":404}'
    const bad = '{"type":"x","title":"t","status":"four hundred"}'
    await writeFile(join(dir, 'mixed.jsonl'), [good, bad, good].join('\n'))
    const lines = memoryIo(dir)
    expect(await runCli(['validate', '--failures', 'mixed.jsonl'], lines.io)).toBe(1)
    expect(lines.stdout()).toBe(
      'FAIL  mixed.jsonl:2  common.problem (closest match)\n' +
        '    - status: expected number, received string "four hundred"\n' +
        '\n3 payloads (tolerant): 2 passed, 1 failed, 0 notes\n',
    )
    const json = memoryIo(dir)
    expect(await runCli(['validate', '--json', 'mixed.jsonl'], json.io)).toBe(1)
    const report = JSON.parse(json.stdout()) as {
      mode: string
      payloads: { location: string; ok: boolean }[]
      summary: { total: number; failed: number; byContract: Record<string, number> }
    }
    expect(report.mode).toBe('tolerant')
    expect(report.payloads.map((p) => [p.location, p.ok])).toEqual([
      ['mixed.jsonl:1', true],
      ['mixed.jsonl:2', false],
      ['mixed.jsonl:3', true],
    ])
    expect(report.summary).toEqual(
      expect.objectContaining({ total: 3, failed: 1, byContract: { 'common.problem': 3 } }),
    )
    await writeFile(join(dir, 'mixed.jsonl'), good)
    const none = memoryIo(dir)
    expect(await runCli(['validate', '--json', '--failures', 'mixed.jsonl'], none.io)).toBe(0)
    const empty = JSON.parse(none.stdout()) as { payloads: unknown[]; summary: { total: number } }
    expect(empty.payloads).toEqual([])
    expect(empty.summary.total).toBe(1)
  })

  it('says a misspelt or unknown type is unknown and names the nearest known type', async () => {
    const chat =
      '{"type":"New_Chatt","data":{"chat_id":73522,"session_type":"Messaging Inbound (Web Chat)","agent_id":1,"agent_email":"ariel@example.com"}}'
    await writeFile(join(dir, 'types.jsonl'), [chat, '{"type":"Nope"}'].join('\n'))
    const run = memoryIo(dir)
    expect(await runCli(['validate', 'types.jsonl'], run.io)).toBe(1)
    expect(run.stdout()).toBe(
      'FAIL  types.jsonl:1  - (unknown type)\n' +
        '    - type: unknown type "New_Chatt"; the nearest known type is "New_Chat" (adapter.New_Chat)\n' +
        'FAIL  types.jsonl:2  - (unknown type)\n' +
        '    - type: unknown type "Nope"; the nearest known type is "New_Call" (adapter.New_Call)\n' +
        '\n2 payloads (tolerant): 0 passed, 2 failed, 0 notes\n',
    )
    expect(run.stdout()).not.toMatch(/Agent_Login|session_variable|closest match/)
  })

  it('recognises a bare QM item as the QM pages print it, noting the missing envelope', async () => {
    const item = {
      session_type_v2: 'In-web',
      chat_id: 198,
      state: 'resumed',
      direction: 'incoming',
      initiator: 'end_user_5',
      participants: [],
    }
    await writeFile(join(dir, 'item.json'), JSON.stringify(item))
    const tolerant = memoryIo(dir)
    expect(await runCli(['validate', 'item.json'], tolerant.io)).toBe(0)
    expect(tolerant.stdout()).toContain(
      'ok    item.json  qm.ChatState\n' +
        '    note: a bare qm.ChatState item: the { "type": "ChatState", "item": … } envelope the platform sends is missing\n',
    )
    const strict = memoryIo(dir)
    expect(await runCli(['validate', '--strict', 'item.json'], strict.io)).toBe(1)
    expect(strict.stdout()).toContain(
      'FAIL  item.json  qm.ChatState\n    - a bare qm.ChatState item',
    )
  })

  it('streams stdin in chunks when the host offers them', async () => {
    const run = memoryIo(dir)
    async function* chunks(): AsyncGenerator<string> {
      await Promise.resolve()
      yield '{"type":"x","title":"t","sta'
      yield 'tus":404}\n{"type":"x","title":"t","status":500}\n'
    }
    expect(await runCli(['validate', '-'], { ...run.io, stdinChunks: chunks })).toBe(0)
    expect(run.stdout()).toContain(
      'ok    <stdin>:1  common.problem\nok    <stdin>:2  common.problem\n',
    )
  })

  it('names an unknown flag and the nearest known one, and exits 2', async () => {
    const run = memoryIo(dir)
    expect(await runCli(['serve', '--prot', '0'], run.io)).toBe(2)
    expect(run.stderr()).toContain('ccai-sim serve: --prot: unknown option; did you mean --port?')
    expect(run.stderr()).toContain('Usage: ccai-sim serve')
  })

  it('says which flag lost its value to an option-like word (ambiguous value), and exits 2', async () => {
    const run = memoryIo(dir)
    expect(await runCli(['fixtures', 'adapter.New_Call', '--seed', '--count', '2'], run.io)).toBe(2)
    expect(run.stderr()).toContain(
      '--seed: expected a value, received the option-like "--count"; write --seed=--count if that is the value',
    )
    expect(run.stdout()).toBe('')
  })

  it('suggests the nearest command for a misspelt one', async () => {
    const run = memoryIo(dir)
    expect(await runCli(['fixture', 'adapter.New_Call'], run.io)).toBe(2)
    expect(run.stderr()).toContain('unknown command "fixture"; did you mean "fixtures"?')
  })

  it('prints its version with --version and exits 0', async () => {
    const run = memoryIo(dir)
    expect(await runCli(['--version'], run.io)).toBe(0)
    const { version } = JSON.parse(
      await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
    ) as { version: string }
    expect(run.stdout()).toBe(`ccai-sim ${version}\n`)
  })

  it('reads payloads from stdin with -', async () => {
    const run = memoryIo(dir, '{"type":"x","title":"t","status":404}\n')
    expect(await runCli(['validate', '-'], run.io)).toBe(0)
    expect(run.stdout()).toContain('ok    <stdin>  common.problem')
  })
})

describe('ccai-sim schemas and catalog', () => {
  it('writes a strict and a tolerant JSON Schema per contract', async () => {
    const run = memoryIo(dir)
    expect(await runCli(['schemas', '--out', 'out'], run.io)).toBe(0)
    const index = JSON.parse(await readFile(join(dir, 'out', 'index.json'), 'utf8')) as {
      contracts: { id: string }[]
    }
    expect(index.contracts.map((c) => c.id)).toEqual(CATALOG.map((c) => c.id))
    const strict = JSON.parse(
      await readFile(join(dir, 'out', 'strict', 'common.problem.json'), 'utf8'),
    ) as Record<string, unknown>
    expect(strict['additionalProperties']).toBe(false)
  })

  it('names --out, expected and received when the folder to write is a file (schemas, export)', async () => {
    await writeFile(join(dir, 'taken'), 'a file')
    await writeFile(
      join(dir, 'crm.json'),
      JSON.stringify(getContract('crm.settings').examples[0]?.payload),
    )
    for (const args of [
      ['schemas', '--out', 'taken'],
      ['export', 'artillery', '--settings', 'crm.json', '--rate', '1', '--out', 'taken'],
    ]) {
      const run = memoryIo(dir)
      expect(await runCli(args, run.io), run.stderr()).toBe(2)
      expect(run.stderr()).toMatch(
        /^ccai-sim \w+: --out: expected a folder to write to, received "taken", a file\n/,
      )
    }
    expect(await readFile(join(dir, 'taken'), 'utf8')).toBe('a file')
  })

  it('lists every contract with family and confidence', async () => {
    const run = memoryIo(dir)
    expect(await runCli(['catalog', '--json'], run.io)).toBe(0)
    const rows = JSON.parse(run.stdout()) as { id: string; family: string; confidence: string }[]
    expect(rows).toHaveLength(CATALOG.length)
    expect(rows[0]).toEqual(
      expect.objectContaining({ id: CATALOG[0]?.id, family: CATALOG[0]?.family }),
    )
  })
})

describe('the ccai-sim binary', () => {
  it('runs as a real process and exits with the documented codes', async () => {
    const exec = promisify(execFile)
    const ok = await exec(process.execPath, [...CCAI_SIM_SOURCE_ARGS, 'catalog'])
    expect(ok.stdout).toMatch(/\d+ contracts\n$/)
    await writeFile(join(dir, 'bad.json'), '{"type": 1}')
    const failed = await exec(process.execPath, [
      ...CCAI_SIM_SOURCE_ARGS,
      'validate',
      join(dir, 'bad.json'),
    ]).catch((e: unknown) => e as { code: number; stdout: string })
    expect(failed).toEqual(expect.objectContaining({ code: 1 }))
    const usage = await exec(process.execPath, [...CCAI_SIM_SOURCE_ARGS, 'validate']).catch(
      (e: unknown) => e as { code: number; stderr: string },
    )
    expect(usage).toEqual(expect.objectContaining({ code: 2 }))
  }, 120_000)
})
