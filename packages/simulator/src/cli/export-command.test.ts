import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build, type Plugin } from 'esbuild'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { DEFAULT_SCENARIO_MIX, projectSession } from '@ccai-sim/fixtures'
import { planCrmFlow, runCrmFlow } from '../crm/flow-engine.js'
import { defaultMockCrmSettings } from '../crm/mock-crm/default-settings.js'
import { loadTestStory, parseLoadTestConfig, runnerKey } from '../load-test/load-config.js'
import { dryRunCalls } from '../load-test/k6-script.js'
import { dryRunSend } from './crm-command.js'
import { runCli } from './main.js'

const settings = defaultMockCrmSettings('http://crm.test/crm', {
  auth: { mode: 'api-key', header: 'X-Api-Key', value: 'secret' },
})

let dir: string
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ccai-export-'))
  await writeFile(join(dir, 'crm.json'), JSON.stringify({ ...settings, request_timeout: 3 }))
  await writeFile(
    join(dir, 'oauth.json'),
    JSON.stringify(
      defaultMockCrmSettings('http://crm.test/crm', {
        auth: { mode: 'oauth2', clientId: 'id', clientSecret: 'secret', tokenTtlSeconds: 3600 },
      }),
    ),
  )
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

async function cli(
  args: readonly string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = ''
  let stderr = ''
  const code = await runCli(['export', ...args], {
    cwd: dir,
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    readStdin: () => Promise.resolve(''),
  })
  return { code, stdout, stderr }
}

describe('ccai-sim export', () => {
  it.each([
    [['artillery', '--settings', 'crm.json'], /--rate: expected sessions per second/],
    [['artillery', '--settings', 'crm.json', '--rate', 'fast'], /--rate: .*received "fast"/],
    [['artillery', '--rate', '1'], /expected --settings <crm.json> .* and\/or --receiver <url>/],
    [
      ['artillery', '--settings', 'crm.json', '--rate', '1', '--scenario-mix', 'nope=1'],
      /--scenario-mix: expected default, or scenario names .*received "nope"/,
    ],
    [
      ['artillery', '--receiver', 'ftp://x', '--rate', '1'],
      /--receiver: expected an http\(s\) URL/,
    ],
    [
      ['artillery', '--receiver', 'http://x.test', '--rate', '1', '--surfaces', 'email'],
      /--surfaces: expected qm and\/or adapter, received "email"/,
    ],
    [
      ['artillery', '--settings', 'crm.json', '--rate', '1', '--error-budget', '2'],
      /--error-budget: expected a share from 0 to 1/,
    ],
    [
      ['jmeter', '--settings', 'crm.json', '--rate', '1'],
      /expected artillery or k6, received "jmeter"/,
    ],
    [
      ['k6', '--settings', 'oauth.json', '--rate', '1'],
      /k6 export supports basic and custom-header authentication, received oauth2/,
    ],
  ])('refuses %j with exit 2 and names what is wrong', async (args, message) => {
    const { code, stderr } = await cli(args)
    expect(code).toBe(2)
    expect(stderr).toMatch(message)
  })

  it('writes Artillery scripts whose thresholds and timeout follow the settings, and a processor with the run’s configuration', async () => {
    const out = join(dir, 'artillery')
    const { code, stdout } = await cli([
      'artillery',
      '--settings',
      'crm.json',
      '--receiver',
      'http://hooks.test/in',
      '--receiver-header',
      'X-Key=abc',
      '--rate',
      '120/min',
      '--duration',
      '60',
      '--runner-id',
      'eu-1',
      '--out',
      out,
    ])
    expect(code).toBe(0)
    expect(stdout).toMatch(/npx artillery run ccai-crm-load\.yml/)
    const crm = await readFile(join(out, 'ccai-crm-load.yml'), 'utf8')
    expect(crm).toContain('arrivalCount: 120')
    expect(crm).toContain('timeout: 3\n')
    expect(crm).toContain('http.response_time.p99: 3000')
    expect(crm).toContain('http.response_time.p95: 1500')
    expect(crm).toContain('"ccai.calls_failed <= 0.01 * ccai.calls_sent"')
    const hooks = await readFile(join(out, 'ccai-webhooks-load.yml'), 'utf8')
    expect(hooks).toContain('function: "ccaiStartWebhookSession"')
    const processor = await readFile(join(out, 'ccai-sim-processor.mjs'), 'utf8')
    expect(processor).toContain("from '@ccai-sim/simulator/load-test'")
    const start = processor.indexOf('const config = ') + 'const config = '.length
    const config = parseLoadTestConfig(
      JSON.parse(processor.slice(start, processor.indexOf('\n\nexport const', start))),
    )
    expect(config).toMatchObject({
      runnerId: 'eu-1',
      timeScale: 1,
      webhooks: { url: 'http://hooks.test/in', headers: { 'X-Key': 'abc' } },
    })
    // Nothing waits past the run: the documented week of 400 retries is cut to the 60 s run.
    expect(config.crm?.retry.giveUpAfterMs).toBe(60_000)
    expect(config.crm?.retry.rateLimited.giveUpAfterMs).toBe(60_000)
    const pkg = JSON.parse(await readFile(join(out, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>
    }
    expect(Object.keys(pkg.dependencies)).toEqual(['@ccai-sim/simulator'])
  })
})

interface FakeCall {
  readonly name: string
  readonly method: string
  readonly path: string
}

/** k6's modules for Node: a synchronous CRM in place of the network, no sleeping. */
function k6Shims(): Plugin {
  const shims: Record<string, string> = {
    'k6/http': `export default { request: (...args) => globalThis.k6Fake.request(...args) }`,
    k6: `export const sleep = (s) => globalThis.k6Fake.sleeps.push(s)`,
    'k6/execution': `export default { scenario: { get iterationInTest() { return globalThis.k6Fake.iteration } } }`,
    'k6/encoding': `export default { b64decode: (s) => Buffer.from(s, 'base64') }`,
    // k6 builds it once for all VUs and hands out copies; here the array itself.
    'k6/data': `export class SharedArray { constructor(name, make) { return make() } }`,
    // The metrics record what the script adds: its counts are part of what it does.
    'k6/metrics': [
      'class Metric { constructor(name) { this.name = name } add(value) { globalThis.k6Fake.metrics.push([this.name, value]) } }',
      'export class Counter extends Metric {}',
      'export class Rate extends Metric {}',
    ].join('\n'),
  }
  return {
    name: 'k6-shims',
    setup(b) {
      b.onResolve({ filter: /^k6(\/.*)?$/ }, (args) => ({ path: args.path, namespace: 'k6' }))
      b.onLoad({ filter: /.*/, namespace: 'k6' }, (args) => ({
        contents: shims[args.path] ?? '',
        loader: 'js',
      }))
    },
  }
}

describe('ccai-sim export k6', () => {
  const out = () => join(dir, 'k6')

  beforeAll(async () => {
    const { code } = await cli([
      'k6',
      '--settings',
      'crm.json',
      '--receiver',
      'http://hooks.test/in',
      '--rate',
      '1',
      '--duration',
      '8',
      '--time-scale',
      'max',
      '--runner-id',
      'k6-1',
      '--out',
      out(),
    ])
    expect(code).toBe(0)
  })

  it.each(['ccai-crm-load.k6.js', 'ccai-webhooks-load.k6.js'])(
    'writes %s, which bundles with esbuild (k6 itself is not installable here) and shares its sessions between VUs',
    async (file) => {
      const result = await build({
        entryPoints: [join(out(), file)],
        bundle: true,
        write: false,
        format: 'esm',
        platform: 'neutral',
        external: ['k6', 'k6/*'],
        logLevel: 'silent',
      })
      expect(result.errors).toEqual([])
      expect(result.outputFiles[0]?.text).toContain('export {')
      // One copy of the planned sessions for the run, not one per VU.
      expect(await readFile(join(out(), file), 'utf8')).toContain(
        "const SESSIONS = new SharedArray('ccai-sim sessions', function () {",
      )
    },
  )

  /** The exported scripts bundled against the shims, each imported once for the tests below. */
  const imported = new Map<string, Promise<{ default: () => void }>>()
  function importScript(name: string): Promise<{ default: () => void }> {
    let script = imported.get(name)
    if (script === undefined) {
      script = (async () => {
        const bundled = await build({
          entryPoints: [join(out(), name)],
          bundle: true,
          write: false,
          format: 'esm',
          platform: 'node',
          plugins: [k6Shims()],
          logLevel: 'silent',
        })
        const file = join(out(), `bundled-${name}.mjs`)
        await writeFile(file, bundled.outputFiles[0]?.text ?? '')
        return (await import(pathToFileURL(file).href)) as { default: () => void }
      })()
      imported.set(name, script)
    }
    return script
  }
  const importCrmScript = () => importScript('ccai-crm-load.k6.js')

  /**
   * A synchronous fake CRM for the shims: records each call, answers finds with nothing (or the
   * known customer), creates with the next id; `refuse` answers a call by name (or the call at
   * `#index` of the iteration) with a status, once.
   */
  function fakeCrm() {
    const calls: FakeCall[] = []
    const fake = {
      iteration: 0,
      next: 41,
      knownCustomer: false,
      refuse: new Map<string, { status: number; headers: Record<string, string> }>(),
      sleeps: [] as number[],
      metrics: [] as [string, unknown][],
      /** What each call sent: its headers and body. */
      sent: [] as { headers: Record<string, string>; body: unknown }[],
      // eslint-disable-next-line max-params -- k6's http.request signature
      request(
        method: string,
        url: string,
        body: unknown,
        params: { tags: { name: string }; headers: Record<string, string> },
      ) {
        const path = new URL(url).pathname
        const name = params.tags.name
        calls.push({ name, method, path })
        fake.sent.push({ headers: params.headers, body })
        const json = (status: number, value: unknown, headers: Record<string, string> = {}) => ({
          status,
          headers,
          json: () => value,
        })
        const at = `#${String(calls.length - 1)}`
        const by = fake.refuse.has(name) ? name : at
        const refused = fake.refuse.get(by)
        if (refused) {
          fake.refuse.delete(by)
          return json(refused.status, {}, refused.headers)
        }
        if (method === 'GET')
          return json(200, fake.knownCustomer && path.endsWith('/accounts') ? [{ id: 7 }] : [])
        if (path.endsWith('/accounts') || path.endsWith('/records'))
          return json(201, { id: fake.next++ })
        if (path.endsWith('/attachments')) return json(201, { url: 'http://files.test/1' })
        return json(200, {})
      },
    }
    ;(globalThis as { k6Fake?: typeof fake }).k6Fake = fake
    /** Runs iteration `n` of the script from a clean fake. */
    const iterate = (script: { default: () => void }, n: number): FakeCall[] => {
      calls.length = 0
      fake.metrics.length = 0
      fake.sent.length = 0
      fake.next = 41
      fake.iteration = n
      script.default()
      return [...calls]
    }
    return { fake, iterate }
  }

  it('replays each planned session with the CRM’s real ids, counting each call, and skips a create when the find finds', async () => {
    const script = await importCrmScript()
    const { fake, iterate } = fakeCrm()

    const key = runnerKey({ runnerId: 'k6-1' })
    for (let n = 0; n < 4; n += 1) {
      const calls = iterate(script, n)
      const story = loadTestStory({ seed: 1, mix: DEFAULT_SCENARIO_MIX }, key, n)
      const expected: FakeCall[] = []
      await runCrmFlow(planCrmFlow({ settings, story }), {
        send: dryRunSend(settings, { create_account: '41', create_record: '42' }),
        onExchange: (r) =>
          expected.push({
            name: r.step,
            method: r.exchange.request.method,
            path: new URL(r.exchange.request.url).pathname,
          }),
      })
      expect(calls.length).toBeGreaterThan(4)
      expect(calls).toEqual(expected)
      // Each call counted once as sent and, answered 2xx (or 404 to a find), not as failed.
      expect(fake.metrics).toEqual(
        calls.flatMap(() => [
          ['ccai_calls_sent', 1],
          ['ccai_calls_failed', false],
        ]),
      )
    }
    // A returning customer: the find answers an account, so no account is created.
    fake.knownCustomer = true
    const calls = iterate(script, 0)
    expect(calls.map((c) => c.name)).not.toContain('create_account')
    expect(calls.find((c) => c.name === 'create_record')?.method).toBe('POST')
    expect(calls.some((c) => c.path === '/crm/api/records/41/comments')).toBe(true)
  })

  it('sends every body byte for byte as the simulator’s load driver does, ids as numbers where it sends numbers, recordings and pictures made by the script', async () => {
    const script = await importCrmScript()
    const { fake, iterate } = fakeCrm()
    const key = runnerKey({ runnerId: 'k6-1' })
    // The multipart boundary is drawn per request by the simulator (undici's FormData): made equal.
    const bytes = (body: unknown): string =>
      Buffer.from(
        typeof body === 'string' ? Buffer.from(body) : new Uint8Array(body as ArrayBuffer),
      )
        .toString('latin1')
        .replace(/formdata-undici-\d+/g, 'boundary')
    let uploads = 0
    // Sessions 4 and 6 upload a recording (the first four upload text files only).
    for (let n = 0; n < 8; n += 1) {
      iterate(script, n)
      const story = loadTestStory({ seed: 1, mix: DEFAULT_SCENARIO_MIX }, key, n)
      const expected: string[] = []
      const ids = { create_account: '41', create_record: '42' }
      for await (const { call } of dryRunCalls({ ...settings, request_timeout: 3 }, story, ids))
        expected.push(bytes(call.body ?? ''))
      // Every body, JSON ones with the CRM's numeric ids as numbers where the platform sends them.
      expect(fake.sent.map((s) => bytes(s.body ?? ''))).toEqual(expected)
      uploads += fake.sent.filter((s) => s.body instanceof ArrayBuffer).length
    }
    expect(uploads).toBeGreaterThanOrEqual(2)
  })

  it('sends a call again after a 429’s Retry-After, counting the refused answer as failed', async () => {
    const script = await importCrmScript()
    const { fake, iterate } = fakeCrm()
    const plain = iterate(script, 0)
    fake.refuse.set('create_record', { status: 429, headers: { 'Retry-After': '1' } })
    const refused = iterate(script, 0)
    const at = plain.findIndex((c) => c.name === 'create_record')
    expect(at).toBeGreaterThan(0)
    // The same calls, the refused one twice in a row.
    expect(refused).toEqual([...plain.slice(0, at + 1), ...plain.slice(at)])
    expect(fake.metrics.filter(([name]) => name === 'ccai_calls_sent')).toHaveLength(refused.length)
    expect(
      fake.metrics.filter(([name]) => name === 'ccai_calls_failed').map(([, value]) => value),
    ).toEqual(refused.map((_, i) => i === at))
  })

  it('posts each planned session’s QM and adapter emissions to the receiver in order, with the dispatcher’s headers, sending a refused one again', async () => {
    const script = await importScript('ccai-webhooks-load.k6.js')
    const { fake, iterate } = fakeCrm()
    const key = runnerKey({ runnerId: 'k6-1' })
    let checked = 0
    for (let n = 0; n < 4; n += 1) {
      const story = loadTestStory({ seed: 1, mix: DEFAULT_SCENARIO_MIX }, key, n)
      const expected = projectSession(story).emissions.filter((e) =>
        ['qm', 'adapter', 'vta'].includes(e.surface),
      )
      // The session's second webhook is refused once: sent again, counted as failed once (an
      // abandoned call posts a single QM event: nothing to refuse after it).
      const refused = expected.length >= 2
      if (refused) {
        checked += 1
        fake.refuse.set('#1', { status: 503, headers: {} })
      }
      const twice = <T>(list: readonly T[]): T[] =>
        list.flatMap((item, i) => (i === 1 && refused ? [item, item] : [item]))
      const calls = iterate(script, n)
      const sent = fake.sent.map(({ headers, body }) => ({
        contract: headers['x-ccai-contract'],
        key: headers['idempotency-key'],
        session: headers['x-ccai-session-id'],
        type: headers['content-type'],
        payload: JSON.parse(String(body)) as unknown,
      }))
      const planned = expected.map((e) => ({
        contract: e.contract,
        key: e.key,
        session: String(story.id),
        type: 'application/json',
        payload: e.payload,
      }))
      expect(sent).toEqual(twice(planned))
      expect(calls.map((c) => [c.name, c.method, c.path])).toEqual(
        twice(expected).map((e) => [
          `webhook.${e.surface === 'qm' ? 'qm' : 'adapter'}`,
          'POST',
          '/in',
        ]),
      )
      expect(
        fake.metrics.filter(([name]) => name === 'ccai_calls_failed').map(([, value]) => value),
      ).toEqual(sent.map((_, i) => i === 1 && refused))
    }
    expect(checked).toBeGreaterThanOrEqual(2)
  })

  it('retries a webhook’s 429 as the dispatcher does, like any refusal, without reading its Retry-After', async () => {
    const script = await importScript('ccai-webhooks-load.k6.js')
    const { fake, iterate } = fakeCrm()
    // A session with two webhooks at least (an abandoned call posts one).
    const n = [0, 1, 2, 3].find((i) => iterate(script, i).length >= 2) ?? -1
    expect(n).toBeGreaterThanOrEqual(0)
    const refusedWith = (status: number, headers: Record<string, string>) => {
      fake.sleeps.length = 0
      fake.refuse.set('#1', { status, headers })
      const calls = iterate(script, n)
      return { calls, sleeps: [...fake.sleeps] }
    }
    const unavailable = refusedWith(503, {})
    // Eleven days: longer than any give-up, so honouring it would end the retries at once.
    const limited = refusedWith(429, { 'Retry-After': '999999' })
    expect(limited.calls.length).toBeGreaterThanOrEqual(3)
    expect(limited.calls[2]).toEqual(limited.calls[1])
    // The same calls and waits as for a 503: the backoff's, not the ones the answer asked for.
    expect(limited).toEqual(unavailable)
  })
})
