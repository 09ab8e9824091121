import { afterEach, describe, expect, it } from 'vitest'
import type { SuiteResult } from '../core/types.js'
import { expectOnlyFailure, failures, idsWith } from '../test-support/suite-result.js'
import { runContractCli } from '../cli/main.js'
import { ContractTestsError } from '../errors.js'
import { BROKEN_PLUGINS } from './broken-plugins.js'
import { HARMONY_BRIDGE_SUITE, runHarmonyBridgeSuite } from './harmony-bridge-suite.js'
import { startReferencePlugin, type ReferencePlugin } from './reference-plugin.js'

const ALL_IDS = HARMONY_BRIDGE_SUITE.clauses.map((c) => c.id)
const running: ReferencePlugin[] = []

afterEach(async () => {
  await Promise.all(running.splice(0).map((plugin) => plugin.close()))
})

async function check(
  plugin: ReferencePlugin,
  extra: Partial<Parameters<typeof runHarmonyBridgeSuite>[0]> = {},
): Promise<SuiteResult> {
  running.push(plugin)
  // Timeouts only run out when a plug-in stays silent (a fault): the reference answers at once.
  return runHarmonyBridgeSuite({
    host: plugin.host,
    port: plugin.port,
    timeoutMs: 1500,
    quietMs: 50,
    ...extra,
  })
}

describe('the Harmony Processor Bridge plug-in suite', () => {
  it('passes every clause for the reference plug-in in the repo, with the exchanges behind each', async () => {
    const result = await check(await startReferencePlugin())
    expect(failures(result)).toEqual({})
    expect(idsWith(result, 'passed')).toEqual(ALL_IDS)
    expect(result.suite).toBe('harmony-bridge')
    expect(result.target).toMatch(/^tcp:\/\/127\.0\.0\.1:\d+$/)
    for (const clause of result.clauses) {
      expect(clause.title.startsWith(`${clause.id} `), clause.id).toBe(true)
      expect(clause.exchanges.length, clause.id).toBeGreaterThan(0)
    }
    const dial = result.clauses.find((c) => c.id === 'BRIDGE-007')
    expect(dial?.exchanges.map((e) => e.request.url)).toEqual(
      expect.arrayContaining([expect.stringContaining('channel.request.dial → group1.5001')]),
    )
  })

  it('uses the channel group target it is given', async () => {
    const result = await check(await startReferencePlugin(), { channelGroup: 'agents' })
    expect(failures(result)).toEqual({})
    const exchanges = result.clauses.flatMap((c) => c.exchanges.map((e) => e.request.url))
    expect(exchanges.some((url) => url.endsWith('channel.query.init → agents.5001'))).toBe(true)
  })

  it('skips the dial clauses for a channel group without a telephony channel', async () => {
    const plugin = await startReferencePlugin({
      channels: [{ 'end-point': 'chat-7', type: 'CHAT' }],
    })
    const result = await check(plugin)
    expect(failures(result)).toEqual({})
    expect(idsWith(result, 'skipped')).toEqual([
      'BRIDGE-007',
      'BRIDGE-008',
      'BRIDGE-009',
      'BRIDGE-010',
    ])
    expect(result.clauses.find((c) => c.id === 'BRIDGE-007')?.skipReason).toMatch(
      /no TELEPHONY channel/,
    )
  })

  it('fails every clause, naming the address, when nothing listens', async () => {
    const plugin = await startReferencePlugin()
    await plugin.close()
    const result = await runHarmonyBridgeSuite({
      host: plugin.host,
      port: plugin.port,
      timeoutMs: 1500,
    })
    expect(idsWith(result, 'failed')).toEqual(ALL_IDS)
    expect(result.clauses[0]?.failure?.actual).toContain(`${plugin.host}:${String(plugin.port)}`)
  })

  it('refuses options it cannot run with, naming the field', async () => {
    await expect(runHarmonyBridgeSuite({ host: '', port: 7000 })).rejects.toThrow(
      ContractTestsError,
    )
    await expect(runHarmonyBridgeSuite({ host: 'h', port: 70_000 })).rejects.toThrow(
      /port: expected an integer 1–65535, received 70000/,
    )
    await expect(
      runHarmonyBridgeSuite({ host: 'h', port: 7000, channelGroup: 'a.b' }),
    ).rejects.toThrow(/channelGroup: expected a target without dots/)
    await expect(runHarmonyBridgeSuite({ host: 'h', port: 7000, timeoutMs: 0 })).rejects.toThrow(
      /timeoutMs: expected a positive integer/,
    )
  })
})

describe('deliberately broken Processor Bridge plug-ins', () => {
  it('are one per clause', () => {
    expect(BROKEN_PLUGINS.map((b) => b.expectedFailure)).toEqual(ALL_IDS)
    expect(new Set(BROKEN_PLUGINS.map((b) => b.breaks)).size).toBe(BROKEN_PLUGINS.length)
  })

  for (const broken of BROKEN_PLUGINS) {
    it(`fails ${broken.expectedFailure} and no other clause for a plug-in that ${broken.fault}`, async () => {
      const result = await check(await startReferencePlugin({ fault: broken.breaks }))
      expectOnlyFailure(result, broken, ALL_IDS)
    })
  }
})

describe('ccai-contract harmony-bridge', () => {
  function io() {
    const out: string[] = []
    const err: string[] = []
    return {
      io: {
        cwd: process.cwd(),
        stdout: (t: string) => out.push(t),
        stderr: (t: string) => err.push(t),
      },
      stdout: () => out.join(''),
    }
  }

  it('exits 0 against the reference plug-in and 1 against a broken one, naming the clause', async () => {
    const good = await startReferencePlugin()
    const bad = await startReferencePlugin({ fault: 'accepts-unknown-requests' })
    running.push(good, bad)
    const passing = io()
    expect(
      await runContractCli(
        ['harmony-bridge', '--host', good.host, '--port', String(good.port)],
        passing.io,
      ),
    ).toBe(0)
    expect(passing.stdout()).toContain('Harmony Processor Bridge plug-in suite')
    expect(passing.stdout()).toMatch(/\n10 passed, 0 failed/)
    const failing = io()
    expect(
      await runContractCli(
        ['harmony-bridge', '--host', bad.host, '--port', String(bad.port), '--reporter', 'json'],
        failing.io,
      ),
    ).toBe(1)
    const report = JSON.parse(failing.stdout()) as {
      results: { clauses: { id: string; status: string }[] }[]
    }
    expect(
      report.results[0]?.clauses.filter((c) => c.status === 'failed').map((c) => c.id),
    ).toEqual(['BRIDGE-006'])
  })
})
