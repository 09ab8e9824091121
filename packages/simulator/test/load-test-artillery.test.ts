import { spawn } from 'node:child_process'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { projectSession, type SessionStory } from '@ccai-sim/fixtures'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { afterAll, describe, expect, it } from 'vitest'
import { dryRunSend } from '../src/cli/crm-command.js'
import { runCli } from '../src/cli/main.js'
import { createCrmClient } from '../src/crm/crm-client.js'
import { planCrmFlow, runCrmFlow, type CrmExchangeRecord } from '../src/crm/flow-engine.js'
import type { MockCrmSnapshot } from '../src/crm/mock-crm/index.js'
import {
  decodeLoadSessionId,
  loadTestStory,
  parseLoadTestConfig,
  runnerBlock,
  runnerKey,
} from '../src/load-test/load-config.js'
import { startSimulator } from '../src/server.js'
import { createDialectCrm, dialectCrmSettings } from './support/dialect-crm.js'
import { serveHono } from './support/node-server.js'

/*
 * The exported Artillery script, run for real with npm's `artillery` (local mode, its own worker
 * threads) against the simulator's mock CRM and against a CRM with a dialect of its own, 30 s each,
 * and against a CRM that answers slower than the settings' timeout. Runs take wall-clock time by
 * nature; the assertions are on counts, order and the thresholds' outcome, never on speed.
 *
 * How the processor finds `@ccai-sim/simulator`: a user runs `npm install` next to the exported
 * files (the package.json names it). Here the export folder gets a `node_modules/@ccai-sim/simulator`
 * of its own that loads the workspace's TypeScript source through tsx, as the repo's bins do.
 */

const require = createRequire(import.meta.url)
const ARTILLERY_BIN = join(dirname(require.resolve('artillery/package.json')), 'bin', 'run')
const TSX_API = import.meta.resolve('tsx/esm/api')
const LOAD_TEST_SOURCE = new URL('../src/load-test/index.ts', import.meta.url).href
const RUN_SECONDS = 12

const folders: string[] = []
afterAll(async () => {
  await Promise.all(folders.map((f) => rm(f, { recursive: true, force: true })))
})

/** `ccai-sim export artillery --settings crm.json …` into a fresh folder that can resolve the processor's import. */
async function exportScript(
  settings: CrmIntegrationSettings | undefined,
  args: readonly string[],
): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ccai-load-test-'))
  folders.push(dir)
  if (settings) await writeFile(join(dir, 'crm.json'), JSON.stringify(settings))
  const out: string[] = []
  const flags = [
    ...(settings ? ['--settings', 'crm.json'] : []),
    ...['--rate', '1', '--time-scale', 'max', ...args],
  ]
  const code = await runCli(['export', 'artillery', ...flags, '--out', dir], {
    cwd: dir,
    stdout: (t) => out.push(t),
    stderr: (t) => out.push(t),
    readStdin: () => Promise.resolve(''),
  })
  expect(code, out.join('')).toBe(0)
  const shim = join(dir, 'node_modules', '@ccai-sim', 'simulator')
  await mkdir(shim, { recursive: true })
  await writeFile(
    join(shim, 'package.json'),
    JSON.stringify({
      name: '@ccai-sim/simulator',
      type: 'module',
      exports: { './load-test': './load-test.mjs' },
    }),
  )
  await writeFile(
    join(shim, 'load-test.mjs'),
    `import { register } from ${JSON.stringify(TSX_API)}\nregister()\nexport const { createArtilleryProcessor } = await import(${JSON.stringify(LOAD_TEST_SOURCE)})\n`,
  )
  return dir
}

interface ArtilleryRun {
  readonly code: number | null
  readonly output: string
  readonly counters: Readonly<Record<string, number>>
}

async function runArtillery(dir: string, script: string): Promise<ArtilleryRun> {
  const report = join(dir, 'report.json')
  const child = spawn(process.execPath, [ARTILLERY_BIN, 'run', '--output', report, script], {
    cwd: dir,
    env: {
      ...process.env,
      ARTILLERY_DISABLE_TELEMETRY: 'true',
      NO_COLOR: '1',
      // The workspace packages the source imports resolve to their source, as in the repo's bins.
      NODE_OPTIONS: `${process.env['NODE_OPTIONS'] ?? ''} --conditions=@ccai-sim/source`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (d: Buffer) => (output += d.toString()))
  child.stderr.on('data', (d: Buffer) => (output += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve))
  const json = JSON.parse(await readFile(report, 'utf8')) as {
    aggregate: { counters: Record<string, number> }
  }
  return { code, output, counters: json.aggregate.counters }
}

/** The story behind a session id the CRM saw: the runner key is found by its id block. */
function storyOf(configFile: string, sessionId: number): SessionStory {
  const config = parseLoadTestConfig(JSON.parse(configFile))
  const { block, n } = decodeLoadSessionId(sessionId)
  for (let thread = 0; thread < 256; thread += 1) {
    const key = runnerKey({ runnerId: config.runnerId, localWorker: String(thread) })
    if (runnerBlock(key) === block) return loadTestStory(config, key, n)
  }
  throw new Error(`session ${String(sessionId)} is no session of runner ${config.runnerId}`)
}

/** The load-test configuration the processor module carries. */
async function processorConfig(dir: string): Promise<string> {
  const text = await readFile(join(dir, 'ccai-sim-processor.mjs'), 'utf8')
  const start = text.indexOf('const config = ') + 'const config = '.length
  return text.slice(start, text.indexOf('\n\nexport const', start))
}

function perEndpoint(counters: Readonly<Record<string, number>>): Record<string, number> {
  const totals: Record<string, number> = {}
  for (const [name, value] of Object.entries(counters)) {
    const match = /^plugins\.metrics-by-endpoint\.([a-z_.]+)\.codes\.\d+$/.exec(name)
    if (match?.[1]) totals[match[1]] = (totals[match[1]] ?? 0) + value
  }
  return totals
}

function countBy(names: readonly string[]): Record<string, number> {
  const totals: Record<string, number> = {}
  for (const name of names) totals[name] = (totals[name] ?? 0) + 1
  return totals
}

describe.concurrent('the exported Artillery script', { timeout: 600_000 }, () => {
  it('replays every session’s flow against the mock CRM: each session’s comments and files in order, counts per endpoint', async () => {
    const simulator = await startSimulator({
      config: { port: 0, storage: { enabled: false }, email: { enabled: false } },
    })
    try {
      const settings = (await (
        await fetch(`${simulator.url}/_sim/crm/settings?secrets=include`)
      ).json()) as CrmIntegrationSettings
      const exported = await exportScript(settings, [
        '--duration',
        String(RUN_SECONDS),
        '--runner-id',
        'ci-mock',
        '--seed',
        '7',
      ])
      const run = await runArtillery(exported, 'ccai-crm-load.yml')
      expect(run.code, run.output).toBe(0)
      expect(run.counters['vusers.created']).toBe(RUN_SECONDS)
      expect(run.counters['vusers.completed']).toBe(RUN_SECONDS)
      expect(run.counters['ccai.sessions.completed']).toBe(RUN_SECONDS)

      const state = (await (
        await fetch(`${simulator.url}/_sim/crm/state`)
      ).json()) as MockCrmSnapshot
      expect(state.records).toHaveLength(RUN_SECONDS)
      const config = await processorConfig(exported)
      const expectedNames: string[] = []
      for (const record of state.records) {
        const story = storyOf(config, Number(record.fields['session_id']))
        const exchanges: CrmExchangeRecord[] = []
        await runCrmFlow(planCrmFlow({ settings, story }), {
          send: dryRunSend(settings),
          onExchange: (r) => exchanges.push(r),
        })
        expectedNames.push(...exchanges.map((e) => e.step))
        const sentComments = exchanges
          .filter((e) => e.step === 'comment')
          .map((e) =>
            e.exchange.request.body?.kind === 'json'
              ? (e.exchange.request.body.json as { body: string }).body
              : '',
          )
        const attachments = state.attachments
          .filter((a) => a.recordId === record.id)
          .sort((a, b) => a.number - b.number)
        const comments = state.comments
          .filter((c) => c.recordId === record.id)
          .sort((a, b) => a.number - b.number)
          .map((c) => c.body)
        // An upload's comment ends with the file's link: the mock CRM's, where the dry run has its own.
        const link = /\n(https?:\/\/\S+)$/
        expect(comments.map((c) => c.replace(link, ''))).toEqual(
          sentComments.map((c) => c.replace(link, '')),
        )
        const links = comments.map((c) => link.exec(c)?.[1]).filter((l) => l !== undefined)
        expect(links).toEqual(attachments.map((a) => `${simulator.url}/crm/attachments/${a.id}`))
        expect(attachments).toHaveLength(exchanges.filter((e) => e.step === 'upload_file').length)
        expect(record.accountId).not.toBeNull()
      }
      expect(state.accounts).toHaveLength(RUN_SECONDS)
      expect(perEndpoint(run.counters)).toEqual(countBy(expectedNames))
      expect(run.counters['ccai.calls_sent']).toBe(expectedNames.length)
      expect(run.counters['ccai.calls_failed']).toBe(0)
    } finally {
      await simulator.close()
    }
  })

  it('replays every session’s requests in order against a CRM with its own dialect (string ids, other paths)', async () => {
    const crm = createDialectCrm()
    const { url: base, close } = await serveHono({ fetch: (request) => crm.handle(request) })
    try {
      const settings = dialectCrmSettings(base)
      const exported = await exportScript(settings, [
        '--duration',
        String(RUN_SECONDS),
        '--runner-id',
        'ci-dialect',
        '--scenario-mix',
        'inbound-ivr-call=2,web-chat-va-escalation=1,inbound-call-abandoned=1',
      ])
      const run = await runArtillery(exported, 'ccai-crm-load.yml')
      expect(run.code, run.output).toBe(0)
      expect(run.counters['vusers.completed']).toBe(RUN_SECONDS)

      const config = await processorConfig(exported)
      const sessions = [...new Set(crm.calls.map((c) => c.session))]
      expect(sessions).toHaveLength(RUN_SECONDS)
      expect(crm.calls.every((c) => c.status < 300)).toBe(true)
      for (const session of sessions) {
        // The same flow, in process, against a fresh CRM of the same dialect.
        const reference = createDialectCrm()
        const client = createCrmClient({
          settings,
          fetch: (input, init) => reference.handle(new Request(input, init)),
          now: () => 0,
        })
        await runCrmFlow(planCrmFlow({ settings, story: storyOf(config, Number(session)) }), {
          send: (request) => client.send(request),
        })
        const seen = crm.calls.filter((c) => c.session === session).map((c) => c.endpoint)
        expect(seen.length).toBeGreaterThanOrEqual(4)
        expect(seen).toEqual(reference.calls.map((c) => c.endpoint))
      }
      expect(perEndpoint(run.counters)).toEqual(countBy(crm.calls.map((c) => c.endpoint)))
    } finally {
      await close()
    }
  })

  it('delivers each session’s QM and adapter webhooks in order with the dispatcher’s keys, retrying a refusal', async () => {
    const received: { key: string; session: string; status: number }[] = []
    const receiver = {
      handle: (request: Request): Promise<Response> => {
        const key = request.headers.get('idempotency-key') ?? ''
        const session = request.headers.get('x-ccai-session-id') ?? ''
        // Every session's second event is refused once: the dispatcher's rule retries it.
        const refuse = key.endsWith(':1') && !received.some((r) => r.key === key)
        const status = refuse ? 503 : 202
        received.push({ key, session, status })
        return Promise.resolve(new Response(null, { status }))
      },
    }
    const { url: base, close } = await serveHono({
      fetch: (request) => receiver.handle(request),
    })
    try {
      const exported = await exportScript(undefined, [
        '--receiver',
        `${base}/hooks`,
        '--duration',
        '10',
        '--runner-id',
        'ci-hooks',
        // The refusals are on purpose: within budget.
        '--error-budget',
        '0.5',
      ])
      const run = await runArtillery(exported, 'ccai-webhooks-load.yml')
      expect(run.code, run.output).toBe(0)
      expect(run.counters['vusers.completed']).toBe(10)
      const config = await processorConfig(exported)
      const sessions = [...new Set(received.map((r) => r.session))]
      expect(sessions).toHaveLength(10)
      for (const session of sessions) {
        const expected = projectSession(storyOf(config, Number(session)))
          .emissions.filter((e) => ['qm', 'adapter', 'vta'].includes(e.surface))
          .map((e) => e.key)
        const got = received.filter((r) => r.session === session)
        expect(got.filter((r) => r.status === 202).map((r) => r.key)).toEqual(expected)
        const refused = got.findIndex((r) => r.status === 503)
        if (refused !== -1) expect(got[refused + 1]?.key).toBe(got[refused]?.key)
      }
      expect(received.some((r) => r.status === 503)).toBe(true)
      expect(perEndpoint(run.counters)['webhook.qm']).toBe(
        received.filter((r) => r.key.includes(':qm:')).length,
      )
    } finally {
      await close()
    }
  })

  it('fails its thresholds when the CRM answers slower than the settings’ request timeout', async () => {
    const crm = createDialectCrm({ delayMs: 1_500 })
    const { url: base, close } = await serveHono({ fetch: (request) => crm.handle(request) })
    try {
      const exported = await exportScript(dialectCrmSettings(base, 1), [
        '--duration',
        '8',
        '--runner-id',
        'ci-slow',
      ])
      const run = await runArtillery(exported, 'ccai-crm-load.yml')
      expect(run.code).toBe(1)
      expect(run.counters['errors.ETIMEDOUT']).toBe(8)
      expect(run.counters['vusers.failed']).toBe(8)
      expect(run.counters['ccai.calls_failed']).toBe(8)
      expect(run.output).toMatch(/fail: ccai\.calls_failed <= 0\.01 \* ccai\.calls_sent/)
    } finally {
      await close()
    }
  })
})
