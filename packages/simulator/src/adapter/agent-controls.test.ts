import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Emission } from '@ccai-sim/fixtures'
import { checkContract } from '@ccai-sim/schemas'
import type { Browser, Frame, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator, type RunningSimulator } from '../server.js'
import { launchChromium } from '../../test/support/chromium.js'

/*
 * The adapter page's agent controls drive sessions through the control API, the same session
 * machine as curl: a person plays the agent by clicking, and every surface follows as it would
 * for a scripted agent. The clock is manual; the test moves it through the control API and
 * otherwise only waits for what the page shows.
 */

const AGENT = 7
const MINUTE = 60_000
const HOUR = 60 * MINUTE

const cleanups: (() => Promise<void>)[] = []
let browser: Browser

beforeAll(async () => {
  browser = await launchChromium()
})
afterAll(async () => {
  await browser.close()
})
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

interface Harness {
  readonly sim: RunningSimulator
  readonly page: Page
  readonly chat: Frame
  readonly call: Frame
  /** A control-API call (JSON in and out). */
  control(path: string, body?: unknown): Promise<unknown>
}

/**
 * A running simulator (manual clock, the built-in mock CRM) and a CRM page embedding a chat and a
 * call adapter page of agent 7 with `?manual=1`; the parent records what each frame posts.
 */
async function harness(): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-agent-controls-'))
  const sim = await startSimulator({
    config: {
      port: 0,
      clock: { mode: 'manual', start: '2026-01-15T14:00:00.000Z' },
      storage: { dir: join(dir, 'storage') },
      email: { enabled: false },
    },
  })
  cleanups.push(async () => {
    await sim.close()
    await rm(dir, { recursive: true, force: true })
  })
  const adapter = (type: string) =>
    `${sim.url}/agent/?type=${type}&from=custom&agent=${String(AGENT)}&manual=1`
  const parent: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html' })
    response.end(`<!doctype html><script>window.received = { call: [], chat: [] };
      addEventListener('message', (e) => {
        const frame = e.source === document.getElementById('call').contentWindow ? 'call' : 'chat'
        window.received[frame].push(e.data)
      })</script>
      <iframe id="chat" width="900" height="700" src="${adapter('chat')}"></iframe>
      <iframe id="call" width="900" height="700" src="${adapter('call')}"></iframe>`)
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
  const page = await browser.newPage()
  cleanups.push(() => page.close())
  await page.goto(`http://127.0.0.1:${String((parent.address() as AddressInfo).port)}/`)
  const chat = (await (await page.waitForSelector('iframe#chat')).contentFrame())!
  const call = (await (await page.waitForSelector('iframe#call')).contentFrame())!
  for (const frame of [chat, call]) await frame.waitForSelector('html[data-ready="true"]')
  const control = async (path: string, body: unknown = {}): Promise<unknown> => {
    const response = await fetch(`${sim.url}/_sim/${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
    expect(response.status, `POST /_sim/${path}`).toBeLessThan(300)
    return response.json()
  }
  return { sim, page, chat, call, control }
}

/** Logs agent 7 in and makes them available, by clicking. */
async function logIn(frame: Frame): Promise<void> {
  await frame.click('button[data-presence="login"]')
  await frame.waitForSelector('#presence[data-presence="unavailable"]')
  await frame.click('button[data-presence="available"]')
  await frame.waitForSelector('#presence[data-presence="available"]')
}

/** Starts a session from the page's form (manual, from `?manual=1`); returns its id. */
async function startFromPage(frame: Frame, scenario: string): Promise<number> {
  expect(await frame.isChecked('#start-manual')).toBe(true)
  await frame.selectOption('#start-scenario', scenario)
  await frame.click('#start-form button[type="submit"]')
  const status = await frame.waitForSelector('#agent-status[data-kind="ok"][data-session]')
  return Number(await status.getAttribute('data-session'))
}

/**
 * Moves the clock five seconds at a time (control API) until routing offers the session to agent
 * 7 (well inside the 30 s offer timeout), then waits for the page to show the offer.
 */
async function offered(h: Harness, frame: Frame, id: number): Promise<void> {
  const session = h.sim.simulator.runtime.getSession(id)
  for (let i = 0; i < 200 && session?.machine.offeredTo !== AGENT; i += 1) {
    await h.control('clock', { advanceMs: 5000 })
  }
  expect(session?.machine.offeredTo).toBe(AGENT)
  await frame.waitForSelector(`#agent-session-${String(id)}[data-state="offered to you"]`)
}

/** Clicks one of a session row's buttons (Playwright waits until the page enables it). */
async function click(frame: Frame, id: number, command: string): Promise<void> {
  await frame.click(`#agent-session-${String(id)} [data-command="${command}"]`)
}

/** Waits until the page has posted `count` events of `type` to the CRM page (its log shows them). */
async function logged(frame: Frame, type: string, count = 1): Promise<void> {
  await frame.waitForFunction(
    ([t, n]) =>
      document.querySelectorAll(`#log li[data-type="${t}"][data-posted="true"]`).length >= n,
    [type, count] as const,
  )
}

function agentInputs(h: Harness, id: number): string[] {
  return (h.sim.simulator.runtime.getSession(id)?.inputs ?? [])
    .map((i) => i.type)
    .filter((t) => t.startsWith('agent.'))
}

function adapterTypes(emissions: readonly Emission[]): string[] {
  return emissions
    .filter((e) => e.surface === 'adapter')
    .map((e) => (e.payload as { type: string }).type)
}

function expectStrictAndOrdered(emissions: readonly Emission[]): void {
  let previous = Number.NEGATIVE_INFINITY
  for (const e of emissions) {
    expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues, e.key).toEqual([])
    expect(e.at, e.key).toBeGreaterThanOrEqual(previous)
    previous = e.at
  }
}

type Received = { call: string[]; chat: string[] }

describe('the adapter page agent controls in Chromium', () => {
  it('a chat and a call driven only by clicking the controls emit strict-valid payloads on every surface, in order', async () => {
    const h = await harness()
    const { runtime } = h.sim.simulator
    await logIn(h.chat)
    // Both pages show the same agent: the call page follows the presence set from the chat page.
    await h.call.waitForSelector('#presence[data-presence="available"]')

    // The chat: accept, one message, the machine's customer answers, end, wrap-up.
    const chatId = await startFromPage(h.chat, 'web-chat-va-escalation')
    expect(runtime.getSession(chatId)?.agent).toBe('manual')
    await offered(h, h.chat, chatId)
    await click(h.chat, chatId, 'accept')
    await logged(h.chat, 'New_Chat')
    await h.chat.fill(`#message-${String(chatId)}`, 'Hello, this is Sam. How can I help?')
    await click(h.chat, chatId, 'message')
    await logged(h.chat, 'Chat_Outbound_Message')
    // The box empties when the command's answer comes back, which may be after the event shows
    // (the answer waits for the session log to be on disk): wait for it rather than race it.
    await h.chat.waitForFunction(
      (id: string) => document.querySelector<HTMLInputElement>(`#message-${id}`)?.value === '',
      String(chatId),
    )
    await h.control('clock', { advanceMs: MINUTE })
    await logged(h.chat, 'Chat_Inbound_Message')
    await click(h.chat, chatId, 'end')
    await logged(h.chat, 'End_Chat')
    await h.chat.waitForSelector(`#agent-session-${String(chatId)}[data-state="ended, wrap-up"]`)
    await click(h.chat, chatId, 'finish_wrapup')
    await h.chat.waitForSelector(`#agent-session-${String(chatId)}`, { state: 'detached' })

    // The call: accept, hold, resume, end, wrap-up.
    const callId = await startFromPage(h.call, 'inbound-ivr-call')
    await offered(h, h.call, callId)
    await click(h.call, callId, 'accept')
    await logged(h.call, 'New_Call')
    // A call sets its CRM record up when the agent connects: a second on, the mock CRM has
    // answered and the record pops.
    await h.control('clock', { advanceMs: 1000 })
    await logged(h.call, 'CRM_Record_Pop')
    await click(h.call, callId, 'hold')
    await h.call.waitForSelector(
      `#agent-session-${String(callId)}[data-state="connected, on hold"]`,
    )
    await click(h.call, callId, 'resume')
    await h.call.waitForSelector(`#agent-session-${String(callId)}[data-state="connected"]`)
    await click(h.call, callId, 'end')
    await logged(h.call, 'End_Call')
    await click(h.call, callId, 'finish_wrapup')
    await h.call.waitForSelector(`#agent-session-${String(callId)}`, { state: 'detached' })

    await h.call.click('button[data-presence="logout"]')
    await h.call.waitForSelector('#presence[data-presence="logged_out"]')
    // The machine's timers do the rest: the customer's rating, the files, the metadata, the email.
    await h.control('clock', { advanceMs: HOUR })

    const chat = runtime.getSession(chatId)!
    const call = runtime.getSession(callId)!
    for (const session of [chat, call]) {
      expect(session.state).toBe('complete')
      expectStrictAndOrdered(session.emissions)
      // The CRM flow ran to its end against the mock CRM, and every surface names its record.
      const report = runtime.crmReport(session.id)
      expect(report?.state).toBe('done')
      const recordId = report?.recordId
      expect(recordId).toEqual(expect.any(String))
      const pop = session.emissions.find(
        (e) => (e.payload as { type?: string }).type === 'CRM_Record_Pop',
      )
      expect((pop?.payload as { data: { recordUrl: string } }).data.recordUrl).toContain(
        `/${recordId ?? ''}`,
      )
      const metadata = session.emissions.find((e) => e.surface === 'metadata')
      expect(metadata?.payload).toMatchObject({ out_ticket_id: recordId })
      const exchanges = runtime.journal
        .read({ type: 'crm-exchange', limit: 10_000 })
        .entries.filter((e) => e.type === 'crm-exchange' && e.sessionId === session.id)
      expect(exchanges.length).toBeGreaterThan(0)
      for (const e of exchanges) {
        expect(e.type === 'crm-exchange' && e.outcome, String(e.seq)).toBe('ok')
      }
      const replay = await h.control(`sessions/${String(session.id)}/replay`)
      expect(replay).toMatchObject({ identical: true })
    }
    expect([...new Set(chat.emissions.map((e) => e.surface))].sort()).toEqual([
      'adapter',
      'email',
      'metadata',
      'qm',
      'transcript',
      // The virtual agent's own payloads before it handed over (issue 11).
      'vta',
    ])
    expect([...new Set(call.emissions.map((e) => e.surface))].sort()).toEqual([
      'adapter',
      'email',
      'metadata',
      'qm',
    ])
    expect(adapterTypes(chat.emissions)).toEqual([
      'New_Chat',
      'CRM_Record_Pop',
      'Chat_Outbound_Message',
      'Chat_Inbound_Message',
      'End_Chat',
    ])
    expect(adapterTypes(call.emissions)).toEqual(['New_Call', 'CRM_Record_Pop', 'End_Call'])
    // Nothing but the clicks played the agent.
    expect(agentInputs(h, chatId)).toEqual([
      'agent.accept',
      'agent.message',
      'agent.end',
      'agent.finish_wrapup',
    ])
    expect(agentInputs(h, callId)).toEqual([
      'agent.accept',
      'agent.hold',
      'agent.resume',
      'agent.end',
      'agent.finish_wrapup',
    ])

    // The agent's presence: logged in, then out, on the adapter and QM surfaces.
    const presence = runtime.journal
      .read({ type: 'emitted', limit: 10_000 })
      .entries.flatMap((e) => (e.type === 'emitted' && e.sessionId === 0 ? [e] : []))
    expect(presence.map((e) => e.contract)).toEqual([
      'adapter.Agent_Login',
      'qm.AgentState',
      'adapter.Agent_Logout',
      'qm.AgentState',
    ])
    for (const e of presence) {
      expect(checkContract(e.contract, e.payload, { mode: 'strict' }).issues).toEqual([])
    }

    // Each page posted its kind's events of the agent to the CRM page, in the order emitted.
    await h.page.waitForFunction(() =>
      (window as unknown as { received: Received }).received.call.some((d) =>
        d.includes('"Agent_Logout"'),
      ),
    )
    const received = await h.page.evaluate(
      () => (window as unknown as { received: Received }).received,
    )
    const posted = (emissions: readonly Emission[]) => [
      JSON.stringify(presence[0]?.payload),
      ...emissions.filter((e) => e.surface === 'adapter').map((e) => JSON.stringify(e.payload)),
      JSON.stringify(presence[2]?.payload),
    ]
    expect(received.chat).toEqual(posted(chat.emissions))
    expect(received.call).toEqual(posted(call.emissions))
  }, 90_000)

  it('shows a command the machine refuses in the page, and the session goes on unharmed', async () => {
    const h = await harness()
    const { runtime } = h.sim.simulator
    await logIn(h.call)
    const callId = await startFromPage(h.call, 'inbound-ivr-call')
    await offered(h, h.call, callId)
    await click(h.call, callId, 'accept')
    await logged(h.call, 'New_Call')
    await h.control('clock', { advanceMs: 1000 })
    await logged(h.call, 'CRM_Record_Pop')
    const call = runtime.getSession(callId)!
    const before = { inputs: call.inputs.length, emissions: call.emissions.length }

    // A transfer to the agent themself: the machine refuses it (409), the page says why.
    await h.call.fill(`#transfer-agent-${String(callId)}`, String(AGENT))
    await click(h.call, callId, 'transfer')
    const refused = await h.call.waitForSelector('#agent-status[data-kind="error"]')
    expect(await refused.textContent()).toBe(
      `Transfer (session ${String(callId)}) refused (409 invalid_command): session ${String(callId)}: transfer: toAgentId must be another agent`,
    )
    // The status is a live region: a screen reader hears the refusal.
    expect(await refused.getAttribute('aria-live')).toBe('polite')
    // A transfer without a target: the control API's validation (422) names the field.
    await h.call.fill(`#transfer-agent-${String(callId)}`, '')
    await click(h.call, callId, 'transfer')
    await h.call.waitForFunction(() =>
      document.getElementById('agent-status')?.textContent?.includes('422 invalid_request'),
    )
    expect(await h.call.textContent('#agent-status')).toContain('toAgentId')
    expect({ inputs: call.inputs.length, emissions: call.emissions.length }).toEqual(before)
    expect(call.machine.phase).toBe('connected')

    // The call goes on as if nothing happened.
    await click(h.call, callId, 'end')
    await logged(h.call, 'End_Call')
    await click(h.call, callId, 'finish_wrapup')
    await h.call.waitForSelector(`#agent-session-${String(callId)}`, { state: 'detached' })

    // The chat (the agent is free again): a blank message is refused by the machine, and the
    // text stays in the box.
    const chatId = await startFromPage(h.chat, 'sms-chat-dismissed')
    await offered(h, h.chat, chatId)
    await click(h.chat, chatId, 'accept')
    await logged(h.chat, 'New_Chat')
    await h.chat.fill(`#message-${String(chatId)}`, '   ')
    await click(h.chat, chatId, 'message')
    await h.chat.waitForFunction(() =>
      document
        .getElementById('agent-status')
        ?.textContent?.includes('message: text must not be empty'),
    )
    expect(await h.chat.getAttribute('#agent-status', 'data-kind')).toBe('error')
    expect(await h.chat.inputValue(`#message-${String(chatId)}`)).toBe('   ')
    await h.chat.fill(`#message-${String(chatId)}`, 'Sorry, here I am.')
    await click(h.chat, chatId, 'message')
    await logged(h.chat, 'Chat_Outbound_Message')
    await click(h.chat, chatId, 'end')
    await logged(h.chat, 'End_Chat')
    await click(h.chat, chatId, 'finish_wrapup')
    await h.chat.waitForSelector('#agent-sessions-empty:not([hidden])')
    await h.control('clock', { advanceMs: HOUR })
    const chat = runtime.getSession(chatId)!
    for (const session of [call, chat]) {
      expect(session.state).toBe('complete')
      expectStrictAndOrdered(session.emissions)
    }
    expect(agentInputs(h, callId)).toEqual(['agent.accept', 'agent.end', 'agent.finish_wrapup'])
    expect(agentInputs(h, chatId)).toEqual([
      'agent.accept',
      'agent.message',
      'agent.end',
      'agent.finish_wrapup',
    ])
    expect(adapterTypes(chat.emissions)).toEqual([
      'New_Chat',
      'CRM_Record_Pop',
      'Chat_Outbound_Message',
      'End_Chat',
    ])
  }, 90_000)

  it("still runs the platform's offer timer: an offer left ringing is missed, the page drops it and shows the agent unavailable until they click Available", async () => {
    const h = await harness()
    const { runtime } = h.sim.simulator
    await logIn(h.call)
    const callId = await startFromPage(h.call, 'inbound-ivr-call')
    await offered(h, h.call, callId)
    // agents.offerTimeoutSeconds (default 30) pass with nobody clicking Accept.
    await h.control('clock', { advanceMs: 31_000 })
    await h.call.waitForSelector(`#agent-session-${String(callId)}`, { state: 'detached' })
    await h.call.waitForSelector('#presence[data-presence="unavailable"]')
    expect(await h.call.textContent('#presence')).toBe('unavailable (Missed offer)')
    expect(runtime.getSession(callId)?.machine.phase).toBe('routing')
    // Back to available: routing offers the waiting call again, and this time it is answered.
    await h.call.click('button[data-presence="available"]')
    await h.call.waitForSelector(`#agent-session-${String(callId)}[data-state="offered to you"]`)
    await click(h.call, callId, 'accept')
    await logged(h.call, 'New_Call')
    expect(agentInputs(h, callId)).toEqual(['agent.accept'])
    expect(runtime.getSession(callId)?.inputs.map((i) => i.type)).toContain('timer.offer')
  }, 90_000)

  it('a warm transfer by clicking: agent 7 transfers the call, agent 8 joins and takes over, every emission strict-valid', async () => {
    const h = await harness()
    const { runtime } = h.sim.simulator
    await logIn(h.call)
    const callId = await startFromPage(h.call, 'inbound-ivr-call')
    await offered(h, h.call, callId)
    await click(h.call, callId, 'accept')
    await logged(h.call, 'New_Call')
    await h.control('clock', { advanceMs: 1000 })
    await logged(h.call, 'CRM_Record_Pop')
    await h.call.fill(`#transfer-agent-${String(callId)}`, '8')
    await h.call.selectOption(`#transfer-how-${String(callId)}`, 'warm')
    await click(h.call, callId, 'transfer')
    await logged(h.call, 'Transfer_Call')
    // The same page plays agent 8 now: the transfer waits for them.
    await h.call.fill('#agent-id', '8')
    await h.call.waitForSelector(
      `#agent-session-${String(callId)}[data-state="transfer waiting for you"]`,
    )
    await click(h.call, callId, 'join')
    await h.call.waitForSelector(`#agent-session-${String(callId)}[data-state="connected"]`)
    await h.call.fill('#agent-id', String(AGENT))
    await click(h.call, callId, 'leave')
    await h.call.waitForSelector(`#agent-session-${String(callId)}`, { state: 'detached' })
    await h.call.fill('#agent-id', '8')
    await click(h.call, callId, 'end')
    await h.call.waitForSelector(`#agent-session-${String(callId)}[data-state="ended, wrap-up"]`)
    await click(h.call, callId, 'finish_wrapup')
    await h.call.waitForSelector(`#agent-session-${String(callId)}`, { state: 'detached' })
    await h.control('clock', { advanceMs: HOUR })

    const call = runtime.getSession(callId)!
    expect(call.state).toBe('complete')
    expectStrictAndOrdered(call.emissions)
    expect(
      call.inputs.flatMap((i) =>
        'agentId' in i && i.type.startsWith('agent.') ? [[i.type, i.agentId]] : [],
      ),
    ).toEqual([
      ['agent.accept', AGENT],
      ['agent.transfer', AGENT],
      ['agent.join', 8],
      ['agent.leave', AGENT],
      ['agent.end', 8],
      ['agent.finish_wrapup', 8],
    ])
    // Each agent's adapter posts what it sees: agent 8's gets the record when they join.
    expect(
      call.emissions.filter((e) => e.surface === 'adapter').map((e) => [e.contract, e.agentId]),
    ).toEqual([
      ['adapter.New_Call', AGENT],
      ['adapter.CRM_Record_Pop', AGENT],
      ['adapter.Transfer_Call', AGENT],
      ['adapter.Agent_Joined_Call', 8],
      ['adapter.Party_Added', AGENT],
      ['adapter.CRM_Record_Pop', 8],
      ['adapter.End_Call', 8],
    ])
  }, 90_000)
})
