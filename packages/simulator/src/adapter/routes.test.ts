import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { projectAdapterEvents } from '@ccai-sim/fixtures'
import { afterEach, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import { startSimulator } from '../server.js'
import { launchChromium } from '../../test/support/chromium.js'
import { planned } from '../../test/support/planned.js'

const cleanups: (() => Promise<void>)[] = []

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

function app(
  config: Parameters<typeof createSimulatorApp>[0] = {},
): ReturnType<typeof createSimulatorApp> {
  return createSimulatorApp({ ...config, config: { clock: { mode: 'manual' }, ...config.config } })
}

/** The page's embedded configuration (the JSON script the page script reads). */
function embeddedConfig(html: string): Record<string, unknown> {
  const match = /<script type="application\/json" id="adapter-config">([^<]*)<\/script>/.exec(html)
  if (!match?.[1]) throw new Error('no adapter-config script in the page')
  return JSON.parse(match[1]) as Record<string, unknown>
}

async function until<T>(
  probe: () => Promise<T | undefined | false>,
  what: string,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await probe()
    if (value !== undefined && value !== false) return value
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('GET /agent/', () => {
  it('serves a self-contained HTML page (inline CSS and JS, no external assets) that subscribes to the adapter and VTA stream', async () => {
    const { app: hono } = app()
    const response = await hono.request('/agent/?type=chat&from=custom')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await response.text()
    expect(html).not.toMatch(/<link\b|<script[^>]+\bsrc=|<img\b|https?:\/\//)
    expect(html).toContain('data-ready="false"')
    expect(html).toContain('all agents')
    expect(embeddedConfig(html)).toEqual({
      type: 'chat',
      agentId: null,
      eventsUrl: '../events?surface=adapter%2Cvta',
      sessionsUrl: 'sessions/',
      agentsUrl: 'agents/',
      controlUrl: '../_sim/',
      manual: false,
    })
    // The start form offers the scenarios of the page's kind only.
    expect(html).toContain('<option value="web-chat-va-escalation">')
    expect(html).not.toContain('<option value="inbound-ivr-call">')
  })

  it('with ?manual=1, starts sessions from the page with a manual agent', async () => {
    const { app: hono } = app()
    const html = await (await hono.request('/agent/?type=call&from=custom&manual=1')).text()
    expect(embeddedConfig(html)).toMatchObject({ manual: true })
    expect(html).toContain('<input id="start-manual" type="checkbox" checked>')
    expect(html).toContain('<option value="inbound-ivr-call">')
    const plain = await (await hono.request('/agent/?type=call&from=custom&manual=0')).text()
    expect(plain).toContain('<input id="start-manual" type="checkbox">')
  })

  it('represents the agent of ?agent=, else the configured adapter.agentId', async () => {
    const { app: hono } = app({ config: { adapter: { agentId: 12 } } })
    const configured = await (await hono.request('/agent/?type=call&from=custom')).text()
    expect(embeddedConfig(configured)).toMatchObject({
      type: 'call',
      agentId: 12,
      eventsUrl: '../events?surface=adapter%2Cvta&agent=12',
    })
    expect(configured).toContain('12 (from adapter.agentId)')
    const named = await (await hono.request('/agent/?type=call&from=custom&agent=34')).text()
    expect(embeddedConfig(named)).toMatchObject({
      agentId: 34,
      eventsUrl: '../events?surface=adapter%2Cvta&agent=34',
    })
  })

  it('redirects /agent to /agent/ keeping the query, so the relative stream URL resolves', async () => {
    const { app: hono } = app()
    const response = await hono.request('/agent?type=chat&from=custom')
    expect(response.status).toBe(308)
    expect(response.headers.get('location')).toBe('/agent/?type=chat&from=custom')
  })

  it.each([
    ['type', '?from=custom', 'type: expected one of "call", "chat", received nothing'],
    [
      'type',
      '?type=sms&from=custom',
      'type: expected one of "call", "chat", received string "sms"',
    ],
    ['from', '?type=call', 'from: expected "custom", received nothing'],
    ['from', '?type=call&from=salesforce', 'from: expected "custom", received string "salesforce"'],
    ['agent', '?type=call&from=custom&agent=me', 'agent: expected a string matching'],
    ['manual', '?type=call&from=custom&manual=yes', 'manual: expected one of "0", "1"'],
  ])('answers 422 problem+json naming %s for %s', async (name, query, message) => {
    const { app: hono } = app()
    const response = await hono.request(`/agent/${query}`)
    expect(response.status).toBe(422)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    const body = (await response.json()) as {
      type: string
      detail: string
      issues: { path: string; message: string }[]
    }
    expect(body.type).toBe('invalid_request')
    expect(body.issues.map((i) => i.path)).toContain(name)
    expect(body.detail).toContain(message)
  })

  it('answers 404 problem+json for other paths under /agent', async () => {
    const { app: hono } = app()
    const response = await hono.request('/agent/other?type=call&from=custom')
    expect(response.status).toBe(404)
    expect(((await response.json()) as { detail: string }).detail).toContain(
      '/agent/?type=call|chat&from=custom',
    )
  })
})

describe('GET /agent/sessions/:id', () => {
  it("tells the page a session's kind, end user, queue and state", async () => {
    const { app: hono, runtime } = app()
    const session = runtime.startSession({ scenario: 'inbound-ivr-call', seed: 3 })
    const response = await hono.request(`/agent/sessions/${session.id}`)
    expect(response.status).toBe(200)
    const { story } = planned(session)
    expect(await response.json()).toEqual({
      id: session.id,
      kind: 'call',
      scenario: 'inbound-ivr-call',
      state: 'live',
      endUser: { name: story.endUser.name, phone: story.endUser.phone, email: story.endUser.email },
      queue: { id: story.queue.id, path: story.queue.path },
    })
  })

  it('answers 404 problem+json for an unknown session', async () => {
    const { app: hono } = app()
    const response = await hono.request('/agent/sessions/999')
    expect(response.status).toBe(404)
    expect(await response.json()).toMatchObject({
      type: 'unknown_session',
      detail: 'no session with id 999',
    })
  })
})

describe('GET /agent/agents/:id', () => {
  async function info(hono: ReturnType<typeof app>['app'], agentId: number) {
    const response = await hono.request(`/agent/agents/${String(agentId)}`)
    expect(response.status).toBe(200)
    return (await response.json()) as {
      presence: string
      sessions: Record<string, unknown>[]
    }
  }

  it('tells the agent controls the presence and, for each session the agent holds, what fits now', async () => {
    const { app: hono, runtime } = app({ config: { crm: { enabled: false } } })
    expect(await info(hono, 7)).toEqual({
      id: 7,
      presence: 'logged_out',
      reason: null,
      sessions: [],
    })
    runtime.roster.command(7, 'login')
    runtime.roster.command(7, 'available')
    const session = runtime.startSession({ scenario: 'inbound-ivr-call', seed: 3, agent: 'manual' })
    for (let i = 0; i < 300 && session.machine.offeredTo === null; i += 1) {
      await runtime.advance(1000)
    }
    const offered = await info(hono, 7)
    expect(offered.presence).toBe('busy')
    expect(offered.sessions).toEqual([
      {
        id: session.id,
        kind: 'call',
        scenario: 'inbound-ivr-call',
        agent: 'manual',
        phase: 'offered',
        offered: true,
        connected: false,
        onHold: false,
        transferToMe: false,
        wrapUp: false,
        ended: false,
        endUser: { name: session.story.endUser.name },
        queue: { id: session.story.queue.id, path: session.story.queue.path },
      },
    ])
    runtime.command(session.id, { type: 'agent.accept', agentId: 7 })
    runtime.command(session.id, { type: 'agent.hold', agentId: 7 })
    runtime.command(session.id, {
      type: 'agent.transfer',
      agentId: 7,
      toAgentId: 8,
      toQueueId: session.story.queue.id,
      warm: true,
    })
    expect((await info(hono, 7)).sessions[0]).toMatchObject({
      phase: 'connected',
      offered: false,
      connected: true,
      onHold: true,
    })
    expect((await info(hono, 8)).sessions[0]).toMatchObject({
      id: session.id,
      connected: false,
      transferToMe: true,
    })
    runtime.command(session.id, { type: 'agent.end', agentId: 7 })
    expect((await info(hono, 7)).sessions[0]).toMatchObject({
      phase: 'wrapup',
      connected: false,
      wrapUp: true,
      ended: true,
    })
    runtime.command(session.id, {
      type: 'agent.finish_wrapup',
      agentId: 7,
      disposition: 'Resolved',
    })
    expect(await info(hono, 7)).toMatchObject({ presence: 'available', sessions: [] })
  })

  it('answers 404 problem+json naming the id for something that is not an agent id', async () => {
    const { app: hono } = app()
    const response = await hono.request('/agent/agents/seven')
    expect(response.status).toBe(404)
    expect(response.headers.get('content-type')).toBe('application/problem+json')
    expect(((await response.json()) as { detail: string }).detail).toBe(
      'id: expected a positive agent id, received "seven"',
    )
  })
})

describe('the adapter page in a browser', () => {
  it('posts the events of its type (and of its agent, when named), and logs the others without posting them', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-adapter-'))
    const sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        storage: { dir: join(dir, 'storage') },
        email: { enabled: false },
        // Compared with the offline story, whose CRM answers nothing: no record pops.
        crm: { enabled: false },
      },
    })
    cleanups.push(async () => {
      await sim.close()
      await rm(dir, { recursive: true, force: true })
    })
    const { runtime } = sim.simulator
    // Started before the pages connect but not yet played: the manual clock has not moved.
    const call = runtime.startSession({ scenario: 'call-hold-warm-transfer', seed: 5 })
    const chat = runtime.startSession({ scenario: 'chat-cobrowse', seed: 5 })
    const callEvents = projectAdapterEvents(planned(call).story)
    const chatEvents = projectAdapterEvents(planned(chat).story)
    const agentId = callEvents.at(-1)!.agentId!
    const callOfAgent = callEvents.filter((e) => e.agentId === agentId)
    expect(callOfAgent.length).toBeLessThan(callEvents.length)
    expect(chatEvents.map((e) => e.payload.type)).toContain('Cobrowse_Session_Started')

    const parent: Server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' })
      response.end(`<!doctype html><script>window.received = { call: [], chat: [] };
        addEventListener('message', (e) => {
          const frame = e.source === document.getElementById('call').contentWindow ? 'call' : 'chat'
          window.received[frame].push(e.data)
        })</script>
        <iframe id="call" src="${sim.url}/agent/?type=call&from=custom&agent=${agentId}"></iframe>
        <iframe id="chat" src="${sim.url}/agent/?type=chat&from=custom"></iframe>`)
    })
    await new Promise<void>((resolve) => parent.listen(0, '127.0.0.1', resolve))
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          parent.close(() => {
            resolve()
          })
          parent.closeAllConnections()
        }),
    )
    const browser = await launchChromium()
    cleanups.push(() => browser.close())
    const page = await browser.newPage()
    await page.goto(`http://127.0.0.1:${(parent.address() as AddressInfo).port}/`)
    const callFrame = (await (await page.waitForSelector('iframe#call')).contentFrame())!
    const chatFrame = (await (await page.waitForSelector('iframe#chat')).contentFrame())!
    for (const frame of [callFrame, chatFrame]) {
      await until(
        async () =>
          (await frame.evaluate(() => document.documentElement.dataset['ready'])) === 'true',
        'the pages to connect',
      )
    }

    await runtime.advance(86_400_000)
    type Received = { call: string[]; chat: string[] }
    // The agents' presence (Agent_Login / Agent_Logout, from the roster) goes to both kinds of page.
    const sessionOnly = (got: Received): Received => ({
      call: got.call.filter((d) => !/"type":"Agent_Log(in|out)"/.test(d)),
      chat: got.chat.filter((d) => !/"type":"Agent_Log(in|out)"/.test(d)),
    })
    const received = await until(async () => {
      const got = sessionOnly(
        await page.evaluate(() => (window as unknown as { received: Received }).received),
      )
      return got.call.length >= callOfAgent.length && got.chat.length >= chatEvents.length
        ? got
        : undefined
    }, 'the events of both pages')
    // The events of the other kind show up in the log, greyed out, once every event is handled.
    await until(
      async () => (await chatFrame.locator('#log li[style]').count()) >= callEvents.length,
      'the call events in the chat log',
    )
    const chatOfAgent = chatEvents.filter((e) => e.agentId === agentId).length
    await until(
      async () => (await callFrame.locator('#log li[style]').count()) >= chatOfAgent,
      'the chat events in the call log',
    )
    const final = sessionOnly(
      await page.evaluate(() => (window as unknown as { received: Received }).received),
    )
    expect(final).toEqual(received)
    expect(received.call).toEqual(callOfAgent.map((e) => JSON.stringify(e.payload)))
    expect(received.chat).toEqual(chatEvents.map((e) => JSON.stringify(e.payload)))
    expect(await callFrame.locator('header').innerText()).toContain(`Agent: ${String(agentId)}`)
    expect(await chatFrame.locator('header').innerText()).toContain('all agents')
    expect(await chatFrame.textContent('#s-id')).toBe(String(chat.id))
    expect(await callFrame.textContent('#s-id')).toBe(String(call.id))
    expect(await callFrame.textContent('#s-kind')).toBe('call')
  }, 120_000)
})
