import { afterEach, describe, expect, it } from 'vitest'
import { offerCall } from '../harmony/test-support.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import type { CliIo } from './io.js'
import { runCli } from './main.js'

const cleanups: (() => Promise<void>)[] = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function memoryIo() {
  const out: string[] = []
  const err: string[] = []
  const io: CliIo = {
    cwd: process.cwd(),
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    readStdin: () => Promise.resolve(''),
  }
  return { io, stdout: () => out.join(''), stderr: () => err.join('') }
}

async function start(): Promise<RunningSimulator> {
  const sim = await startSimulator({
    config: {
      port: 0,
      clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
      storage: { enabled: false },
      email: { enabled: false },
      crm: { enabled: false },
    },
  })
  cleanups.push(() => sim.close())
  return sim
}

/** Resolves once the roster shows the agent available (followed through the journal, no timers). */
function availability(sim: RunningSimulator, agentId: number): Promise<void> {
  const { runtime } = sim.simulator
  return new Promise((resolve) => {
    const unsubscribe = runtime.journal.subscribe(() => {
      if (runtime.roster.get(agentId)?.state.presence !== 'available') return
      unsubscribe()
      resolve()
    })
  })
}

describe('ccai-sim agent harmony', () => {
  it('logs in over /harmony/ws, answers and releases the call it is offered, then logs out', async () => {
    const sim = await start()
    const cli = memoryIo()
    const ready = availability(sim, 41)
    const exit = runCli(
      ['agent', 'harmony', '--url', sim.url, '--agent', '41', '--calls', '1'],
      cli.io,
    )
    await ready
    const sessionId = await offerCall(sim.simulator.runtime, 41)
    expect(await exit).toBe(0)
    expect(cli.stdout()).toContain('logged out after 1 call(s)')
    const kinds = sim.simulator.runtime.getSession(sessionId)?.story.steps.map((s) => s.kind) ?? []
    expect(kinds.filter((k) => ['connected', 'ended', 'wrapup_finished'].includes(k))).toEqual([
      'connected',
      'ended',
      'wrapup_finished',
    ])
    expect(sim.simulator.runtime.roster.get(41)?.state.presence).toBe('logged_out')
  }, 60_000)

  it('exits 1 when the peer refuses the login, and 2 on bad usage', async () => {
    const sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        storage: { enabled: false },
        email: { enabled: false },
        harmony: { password: 'secret' },
      },
    })
    cleanups.push(() => sim.close())
    const refused = memoryIo()
    expect(await runCli(['agent', 'harmony', '--url', sim.url, '--agent', '5'], refused.io)).toBe(1)
    expect(refused.stdout()).toContain('INVALID_CREDENTIALS')
    const usage = memoryIo()
    expect(await runCli(['agent', 'harmony', '--agent', 'x'], usage.io)).toBe(2)
    expect(usage.stderr()).toContain('--agent: expected a positive integer, received "x"')
    expect(await runCli(['agent', 'nobody', '--agent', '3'], memoryIo().io)).toBe(2)
  }, 60_000)
})
