import type { TimedStep } from '@ccai-sim/fixtures'
import { describe, expect, it } from 'vitest'
import type { LiveSession } from '../runtime/simulator-runtime.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import { runCli } from './main.js'

function memoryIo() {
  const out: string[] = []
  const err: string[] = []
  return {
    io: {
      cwd: process.cwd(),
      stdout: (text: string) => out.push(text),
      stderr: (text: string) => err.push(text),
      readStdin: () => Promise.resolve(''),
    },
    stdout: () => out.join(''),
    stderr: () => err.join(''),
  }
}

/** Resolves when the session (or any session, without one) has a step the predicate accepts. */
function step(
  sim: RunningSimulator,
  session: LiveSession | undefined,
  match: (step: TimedStep) => boolean,
): Promise<void> {
  if (session?.story.steps.some(match)) return Promise.resolve()
  return new Promise((resolve) => {
    const stop = sim.simulator.runtime.watch({
      step: (s, timed) => {
        if ((session && s.id !== session.id) || !match(timed)) return
        stop()
        resolve()
      },
    })
  })
}

function presence(sim: RunningSimulator, agentId: number, wanted: string): Promise<void> {
  if (sim.simulator.runtime.roster.get(agentId)?.state.presence === wanted) return Promise.resolve()
  return new Promise((resolve) => {
    const stop = sim.simulator.runtime.watch({
      presence: (agent) => {
        if (agent.entity.id !== agentId || agent.state.presence !== wanted) return
        stop()
        resolve()
      },
    })
  })
}

describe('ccai-sim agent expertflow', () => {
  it('logs in, goes READY, handles the chat it is offered (join, greet, end after the customer answers, wrap up) and exits 0 after --chats 1', async () => {
    const sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
        storage: { enabled: false },
        email: { enabled: false },
        crm: { enabled: false },
        peers: { expertflow: { enabled: true } },
      },
    })
    try {
      const { runtime } = sim.simulator
      const io = memoryIo()
      const args = ['agent', 'expertflow', '--url', sim.url, '--agent-id', '2001']
      const exit = runCli([...args, '--chats', '1', '--wrapup', 'Bot done'], io.io)
      await presence(sim, 2001, 'available')
      const session = runtime.startSession({ scenario: 'sms-chat-dismissed', seed: 21 })
      for (let i = 0; i < 600 && session.machine.offeredTo === null; i += 1) {
        await runtime.advance(1000)
      }
      await step(sim, session, (s) => s.kind === 'message' && s.from === 'agent')
      // The machine's customer answers 20 s later; the bot ends and wraps up.
      await runtime.advance(60_000)
      expect(await exit).toBe(0)
      const kinds = session.story.steps.map((s) => s.kind)
      expect(kinds).toEqual(
        expect.arrayContaining(['connected', 'message', 'ended', 'wrapup_finished']),
      )
      const wrapup = session.story.steps.find((s) => s.kind === 'wrapup_finished')
      expect(wrapup).toMatchObject({ agentId: 2001, disposition: 'Bot done' })
      expect(io.stdout()).toContain(`2001 TaskAssigned ${String(session.id)}`)
      expect(io.stdout()).toContain(`2001 wrapUp ${String(session.id)} Bot done`)
    } finally {
      await sim.close()
    }
  }, 30_000)

  it('refuses bad usage with exit 2, naming the flag', async () => {
    const io = memoryIo()
    expect(
      await runCli(['agent', 'harmonica', '--url', 'http://x', '--agent-id', '1'], io.io),
    ).toBe(2)
    expect(io.stderr()).toMatch(
      /expected the peer to play: harmony or expertflow, received "harmonica"/,
    )
    const noId = memoryIo()
    expect(await runCli(['agent', 'expertflow', '--url', 'http://x'], noId.io)).toBe(2)
    expect(noId.stderr()).toMatch(/--agent-id: expected an agent id/)
  })

  it('exits 1 when the simulator does not serve the peer', async () => {
    const sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        storage: { enabled: false },
        email: { enabled: false },
      },
    })
    try {
      const io = memoryIo()
      expect(
        await runCli(['agent', 'expertflow', '--url', sim.url, '--agent-id', '1'], io.io),
      ).toBe(1)
      expect(io.stderr()).toMatch(/cannot connect to .*\/expertflow\/socket\.io/)
    } finally {
      await sim.close()
    }
  })
})
