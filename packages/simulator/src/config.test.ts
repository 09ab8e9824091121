import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { ConfigError, loadConfig, parseConfig, parseConfigText } from './config.js'

function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    if (error instanceof ConfigError) return error
    throw error
  }
  throw new Error('expected a ConfigError')
}

async function rejected(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => new Error('expected a ConfigError'),
    (e: unknown) => e,
  )
  if (error instanceof ConfigError) return error
  throw error
}

describe('parseConfig', () => {
  it('fills every default from an empty object', () => {
    const config = parseConfig({})
    expect(config).toMatchObject({
      port: 4010,
      host: '127.0.0.1',
      seed: 1,
      clock: { mode: 'scaled', scale: 60 },
      load: { sessionsPerMinute: 0 },
      storage: { enabled: true, dir: './.ccai-sim/storage' },
      email: { enabled: true, smtp: 'builtin', builtinPort: 0 },
      journal: { limit: 10_000 },
      webhooks: { adapter: [], qm: [], retry: { initialDelayMs: 500 } },
    })
    expect(config.clock.start).toBeUndefined()
    expect(parseConfig(undefined)).toEqual(config)
  })

  it('keeps what was given and defaults the rest of the same object', () => {
    const config = parseConfig({ clock: { mode: 'manual' }, load: { mix: { 'outbound-call': 1 } } })
    expect(config.clock).toEqual({ mode: 'manual', scale: 60 })
    expect(config.load).toEqual({ sessionsPerMinute: 0, mix: { 'outbound-call': 1 } })
  })

  it('names the field, what was expected and what came for each bad value', () => {
    const cases: [unknown, string, RegExp][] = [
      [
        { clock: { mode: 'fast' } },
        'clock.mode',
        /expected one of "realtime", "scaled", "manual", received string "fast"/,
      ],
      [{ port: -1 }, 'port', /port: expected at least 0, received integer -1/],
      [{ port: 70_000 }, 'port', /port: expected at most 65535/],
      [{ port: '4010' }, 'port', /port: expected number, received string "4010"/],
      [{ surprise: true }, 'surprise', /surprise: expected no such key/],
      [
        { clock: { mode: 'manual', speed: 2 } },
        'clock.speed',
        /clock\.speed: expected no such key/,
      ],
      [{ seed: 1.5 }, 'seed', /seed: expected integer/],
      [{ journal: { limit: 5 } }, 'journal.limit', /journal\.limit: expected at least 100/],
      [
        { clock: { start: 'yesterday' } },
        'clock.start',
        /clock\.start: expected an ISO 8601 date-time/,
      ],
      [
        { webhooks: { adapter: [{ url: 'not a url' }] } },
        'webhooks.adapter[0].url',
        /webhooks\.adapter\[0\]\.url/,
      ],
      [
        { load: { sessionsPerMinute: -1 } },
        'load.sessionsPerMinute',
        /load\.sessionsPerMinute: expected at least 0/,
      ],
      [
        { load: { mix: { 'no-such-scenario': 1 } } },
        'load.mix.no-such-scenario',
        /load\.mix\.no-such-scenario: expected a scenario name \(inbound-ivr-call, /,
      ],
      [[], '$', /\$: expected object, received array/],
    ]
    for (const [input, path, message] of cases) {
      const error = configError(() => parseConfig(input))
      expect(error.code, JSON.stringify(input)).toBe('invalid_config')
      expect(
        error.issues.map((i) => i.path),
        JSON.stringify(input),
      ).toContain(path)
      expect(error.detail, JSON.stringify(input)).toMatch(message)
    }
  })

  it('lists every issue of one configuration, not just the first', () => {
    const error = configError(() => parseConfig({ port: -1, clock: { mode: 'fast' }, extra: 1 }))
    expect(error.issues.map((i) => i.path).sort()).toEqual(['clock.mode', 'extra', 'port'])
    expect(error.detail).toMatch(/^invalid configuration \(configuration\):\n {2}- /)
    expect(error.source).toBe('configuration')
  })
})

describe('loadConfig', () => {
  let dir = ''
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccai-sim-config-'))
    // The host's environment must not leak into these cases.
    vi.stubEnv('CCAI_SIM_CONFIG', '')
    vi.stubEnv('PORT', '')
  })
  afterEach(async () => {
    vi.unstubAllEnvs()
    await rm(dir, { recursive: true, force: true })
  })

  it('reads the file relative to cwd and lets flags win over it', async () => {
    await writeFile(
      join(dir, 'sim.json'),
      JSON.stringify({ port: 5000, seed: 9, clock: { mode: 'manual', scale: 5 } }),
    )
    const config = await loadConfig({
      file: 'sim.json',
      cwd: dir,
      flags: { port: 0, clock: { scale: 10 } },
    })
    expect(config.port).toBe(0)
    expect(config.seed).toBe(9)
    expect(config.clock).toEqual({ mode: 'manual', scale: 10 })
  })

  it('uses only flags and defaults when there is no file', async () => {
    const config = await loadConfig({ cwd: dir, flags: { seed: 4 } })
    expect(config.seed).toBe(4)
    expect(config.port).toBe(4010)
  })

  it('takes the file from CCAI_SIM_CONFIG and the port from PORT, flags still winning', async () => {
    await writeFile(join(dir, 'env.json'), JSON.stringify({ seed: 3, port: 1 }))
    vi.stubEnv('CCAI_SIM_CONFIG', 'env.json')
    vi.stubEnv('PORT', '4321')
    expect(await loadConfig({ cwd: dir })).toMatchObject({ seed: 3, port: 4321 })
    expect(await loadConfig({ cwd: dir, flags: { port: 0 } })).toMatchObject({ port: 0 })
  })

  it('names PORT and the text it held when the environment gives no port number', async () => {
    vi.stubEnv('PORT', 'abc')
    const error = await rejected(loadConfig({ cwd: dir }))
    expect(error.issues).toEqual([
      expect.objectContaining({
        path: 'PORT',
        expected: 'a port number (0 picks a free one)',
        received: '"abc"',
      }),
    ])
    expect(error.detail).toContain(
      'PORT: expected a port number (0 picks a free one), received "abc"',
    )
  })

  it('names the bad field of a file and the file itself', async () => {
    await writeFile(join(dir, 'bad.json'), JSON.stringify({ clock: { mode: 'fast' } }))
    const error = await rejected(loadConfig({ file: 'bad.json', cwd: dir }))
    expect(error.source).toBe('bad.json')
    expect(error.detail).toContain('invalid configuration (bad.json)')
    expect(error.issues[0]?.path).toBe('clock.mode')
  })

  it('names --config for a missing file, with the path it tried', async () => {
    const error = await rejected(loadConfig({ file: 'missing.json', cwd: dir }))
    expect(error.issues).toEqual([
      expect.objectContaining({ path: '--config', code: 'unreadable', received: 'no such file' }),
    ])
    expect(error.detail).toContain(
      `--config: expected a readable JSON file, received no such file at ${join(dir, 'missing.json')}`,
    )
  })

  it('names CCAI_SIM_CONFIG when the environment pointed at the missing file', async () => {
    vi.stubEnv('CCAI_SIM_CONFIG', 'gone.json')
    const error = await rejected(loadConfig({ cwd: dir }))
    expect(error.issues[0]?.path).toBe('CCAI_SIM_CONFIG')
  })

  it('says a folder is not a configuration file', async () => {
    const error = await rejected(loadConfig({ file: '.', cwd: dir }))
    expect(error.issues[0]).toMatchObject({ path: '--config', received: 'a folder' })
  })

  it('reports a syntax error with the file, line and column', async () => {
    await writeFile(join(dir, 'broken.json'), '{\n  "port": 4010,\n  "seed" 3\n}\n')
    const error = await rejected(loadConfig({ file: 'broken.json', cwd: dir }))
    expect(error.issues[0]).toMatchObject({ path: '$', code: 'invalid_json', received: '"3"' })
    expect(error.detail).toContain(
      'broken.json:3:10: expected JSON (comments allowed), received "3" (colon expected)',
    )
  })

  it('reads JSONC: comments and trailing commas', async () => {
    const text = '// the simulator\n{\n  "port": 0, /* any */\n  "seed": 4,\n}\n'
    await writeFile(join(dir, 'sim.jsonc'), text)
    const config = await loadConfig({ file: 'sim.jsonc', cwd: dir })
    expect(config).toMatchObject({ port: 0, seed: 4 })
  })

  it("accepts the README's configuration example as written", async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('### Configuration reference'))
    const example = /```jsonc\n([\s\S]*?)\n```/.exec(section)?.[1]
    expect(example, 'a ```jsonc block in "Configuration reference"').toBeDefined()
    await writeFile(join(dir, 'readme.jsonc'), example ?? '')
    const config = await loadConfig({ file: 'readme.jsonc', cwd: dir })
    // A few values only the example sets, so the file was read, not defaulted.
    expect(config.load.mix).toEqual({ 'inbound-ivr-call': 30 })
    expect(config.adapter.agentId).toBe(12)
    expect(config.webhooks.qm).toEqual([{ url: 'https://qm.example.com/ccai', headers: {} }])
    expect(config.crm.mock.persistFile).toBe('./.ccai-sim/crm.json')
  })

  it("names in the README's configuration example every key that has a default", async () => {
    const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8')
    const section = readme.slice(readme.indexOf('### Configuration reference'))
    const example = parseConfigText(/```jsonc\n([\s\S]*?)\n```/.exec(section)?.[1] ?? '', 'README')
    // Keys of the defaults the example leaves out; lists (authorizedKeys: []) are shown by a comment.
    const missing: string[] = []
    const walk = (defaults: unknown, shown: unknown, path: string): void => {
      if (typeof defaults !== 'object' || defaults === null || Array.isArray(defaults)) return
      for (const [key, value] of Object.entries(defaults)) {
        const at = path === '' ? key : `${path}.${key}`
        const here =
          typeof shown === 'object' && shown !== null ? (shown as Record<string, unknown>) : {}
        if (!(key in here)) missing.push(at)
        else walk(value, here[key], at)
      }
    }
    walk(parseConfig({}), example, '')
    expect(missing).toEqual(['storage.serve.sftp.authorizedKeys'])
  })

  it('validates what the flags contribute too', async () => {
    const error = await rejected(loadConfig({ cwd: dir, flags: { clock: { mode: 'warp' } } }))
    expect(error.source).toBe('flags')
    expect(error.issues[0]?.path).toBe('clock.mode')
  })
})
