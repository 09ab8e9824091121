import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { checkContract, parseAdapterMessage, parseStoragePath } from '@ccai-sim/schemas'
import { type Browser, type Frame, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StreamMessage } from '../src/http/streams.js'
import { startSimulator, type RunningSimulator } from '../src/server.js'
import { launchChromium } from './support/chromium.js'
import { planned } from './support/planned.js'

/*
 * One web chat (virtual agent, then a human) seen on every surface at once, through real
 * components only: a headless Chromium embedding the adapter page as a cross-origin iframe, an SSE
 * client, a QM webhook receiver, the storage folder and the built-in SMTP server.
 */

const MINUTE = 60_000

async function until<T>(
  probe: () => Promise<T | undefined | false> | T | undefined | false,
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

function listen(server: Server): Promise<string> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)
    })
  })
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => {
      resolve()
    })
    server.closeAllConnections()
  })
}

interface QmDelivery {
  readonly key: string | undefined
  readonly contract: string | undefined
  readonly body: unknown
}

/** The parent CRM page: embeds the adapter and records every `message` event, as an integrator would. */
function parentPage(adapterUrl: string, simOrigin: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>CRM</title></head><body>
<h1>My CRM</h1>
<script>
  window.received = [];
  window.addEventListener('message', function (e) {
    if (e.origin !== ${JSON.stringify(simOrigin)}) return;
    window.received.push({ kind: typeof e.data, data: e.data });
  });
</script>
<iframe id="adapter" src="${adapterUrl}" width="600" height="400"></iframe>
</body></html>`
}

describe('a web chat escalated from a virtual agent, end to end', () => {
  let dir: string
  let sim: RunningSimulator
  let qmServer: Server
  let parentServer: Server
  let browser: Browser
  const qm: QmDelivery[] = []
  let sse: { messages: StreamMessage[]; abort: AbortController } | undefined

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ccai-sim-e2e-'))
    qmServer = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        qm.push({
          key: request.headers['idempotency-key'] as string | undefined,
          contract: request.headers['x-ccai-contract'] as string | undefined,
          body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown,
        })
        response.writeHead(204).end()
      })
    })
    const qmUrl = await listen(qmServer)
    sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        storage: { dir: join(dir, 'storage') },
        email: { enabled: true },
        webhooks: { qm: [{ url: `${qmUrl}/qm` }] },
      },
    })
    parentServer = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
      response.end(parentPage(`${sim.url}/agent/?type=chat&from=custom`, sim.url))
    })
    await listen(parentServer)
    browser = await launchChromium()
  }, 120_000)

  afterAll(async () => {
    sse?.abort.abort()
    await browser.close()
    await sim.close()
    await closeServer(parentServer)
    await closeServer(qmServer)
    await rm(dir, { recursive: true, force: true })
  })

  async function openSse(): Promise<{ messages: StreamMessage[]; abort: AbortController }> {
    const abort = new AbortController()
    const response = await fetch(`${sim.url}/events`, { signal: abort.signal })
    expect(response.status).toBe(200)
    const messages: StreamMessage[] = []
    const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
    void (async () => {
      let buffer = ''
      try {
        for (;;) {
          const { done, value } = await reader.read()
          if (done) return
          buffer += value
          const blocks = buffer.split('\n\n')
          buffer = blocks.pop() ?? ''
          for (const block of blocks) {
            const data = block
              .split('\n')
              .filter((line) => line.startsWith('data: '))
              .map((line) => line.slice(6))
            if (data.length > 0) messages.push(JSON.parse(data.join('\n')) as StreamMessage)
          }
        }
      } catch {
        // Aborted at the end of the test.
      }
    })()
    return { messages, abort }
  }

  async function postJson(path: string, body: unknown): Promise<Response> {
    return fetch(`${sim.url}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    })
  }

  async function adapterFrame(page: Page): Promise<Frame> {
    const handle = await page.waitForSelector('iframe#adapter')
    const frame = await handle.contentFrame()
    if (!frame) throw new Error('the adapter iframe has no frame')
    return frame
  }

  it('delivers the session on every surface: parent postMessage, SSE, QM webhook, storage files and the outcome email', async () => {
    const page = await browser.newPage()
    await page.goto(parentServerUrl())
    const frame = await adapterFrame(page)
    expect(frame.url()).toBe(`${sim.url}/agent/?type=chat&from=custom`)
    // The iframe is subscribed once its EventSource is open: only then can nothing be missed.
    await until(
      async () =>
        (await frame.evaluate(() => document.documentElement.dataset['ready'])) === 'true',
      'the adapter page to connect',
    )
    const stream = await openSse()
    sse = stream

    const started = await postJson('/_sim/sessions', {
      scenario: 'web-chat-va-escalation',
      seed: 20_250_115,
      params: { csat: true },
    })
    expect(started.status).toBe(201)
    const { id, kind } = (await started.json()) as { id: number; kind: string }
    expect(kind).toBe('chat')
    const session = sim.simulator.runtime.getSession(id)!
    const { story, emissions, files } = planned(session)

    // Step the manual clock a minute at a time until the last file and the email are due.
    const last = Math.max(...emissions.map((e) => e.at), ...files.map((f) => f.at))
    const ended = story.steps.find((s) => s.kind === 'ended')!.at
    expect(last - ended).toBeGreaterThanOrEqual(15 * MINUTE)
    let steps = 0
    while (sim.simulator.runtime.clock.now() <= last) {
      const moved = await postJson('/_sim/clock', { advanceMs: MINUTE })
      expect(moved.status).toBe(200)
      steps += 1
    }
    expect(steps).toBeGreaterThan(15)

    // 1. The parent window received exactly the adapter and VTA events the session published (the
    // record pop names the mock CRM's record), as JSON strings, in order; the agent's presence
    // (the roster's Agent_Login) reaches the page too and is left out here.
    const onStreams = session.emissions.filter(
      (e) => e.surface === 'adapter' || e.surface === 'vta',
    )
    // The virtual agent's own payloads (`{ ujet: … }`, no top-level `type`) reach the streams and
    // webhooks, not the CRM page.
    const expected = onStreams.filter(
      (e) => typeof (e.payload as { type?: unknown }).type === 'string',
    )
    expect(expected.length).toBeGreaterThan(3)
    const isPresence = (r: { data: unknown }): boolean =>
      typeof r.data === 'string' && /"type":"Agent_Log(in|out)"/.test(r.data)
    const received = await until(async () => {
      const got = (
        await page.evaluate(
          () => (window as unknown as { received: { kind: string; data: unknown }[] }).received,
        )
      ).filter((r) => !isPresence(r))
      return got.length >= expected.length ? got : undefined
    }, `${expected.length} postMessage events in the parent`)
    expect(received.map((r) => r.kind)).toEqual(expected.map(() => 'string'))
    const strings = received.map((r) => r.data as string)
    expect(strings.map((s) => JSON.parse(s) as unknown)).toEqual(expected.map((e) => e.payload))
    expect(strings).toEqual(expected.map((e) => JSON.stringify(e.payload)))
    for (const [i, data] of strings.entries()) {
      const parsed = parseAdapterMessage(data, { mode: 'strict' })
      expect(parsed.ok ? [] : parsed.issues.map((issue) => issue.message)).toEqual([])
      expect(parsed.contract).toBe(expected[i]!.contract)
    }
    expect(strings.map((s) => (JSON.parse(s) as { type: string }).type)).toEqual(
      expect.arrayContaining(['New_Chat', 'CRM_Record_Pop', 'End_Chat']),
    )
    // Nothing more arrives after the session is over.
    await new Promise((resolve) => setTimeout(resolve, 200))
    expect(
      (
        await page.evaluate(
          () => (window as unknown as { received: { kind: string; data: unknown }[] }).received,
        )
      ).filter((r) => !isPresence(r)).length,
    ).toBe(expected.length)
    // The adapter page shows what it posted.
    expect(await frame.textContent('#s-id')).toBe(String(id))
    expect(await frame.textContent('#s-kind')).toBe('chat')
    const posted = await page.evaluate(
      () => (window as unknown as { received: { kind: string; data: unknown }[] }).received,
    )
    // The log also lists the agent's presence events, which the page posted as well.
    expect(await frame.locator('#log li').count()).toBe(posted.length)
    expect(
      await frame
        .locator('#log li:not([data-type^="Agent_Log"])')
        .first()
        .getAttribute('data-type'),
    ).toBe((expected.at(-1)!.payload as { type: string }).type)

    // 2. The SSE client connected before the start got the same payloads (and every other surface).
    const ofSession = session.emissions.map((e) => ({
      surface: e.surface,
      key: e.key,
      payload: e.payload,
    }))
    await until(
      () => stream.messages.filter((m) => m.sessionId !== 0).length >= ofSession.length,
      `${ofSession.length} SSE events`,
    )
    expect(
      stream.messages
        .filter((m) => m.sessionId !== 0)
        .map((m) => ({ surface: m.surface, key: m.key, payload: m.payload })),
    ).toEqual(ofSession)
    expect(
      stream.messages
        .filter((m) => m.sessionId !== 0)
        .filter((m) => m.surface === 'adapter' || m.surface === 'vta')
        .map((m) => m.payload),
    ).toEqual(onStreams.map((e) => e.payload))

    // 3. The QM receiver got every QM event, in order, strictly valid.
    const qmExpected = session.emissions.filter((e) => e.surface === 'qm')
    expect(qmExpected.length).toBeGreaterThan(0)
    // Idempotency keys are `<runId>:<emission key>`; presence events (`agent-…`) aside.
    const runId = sim.simulator.runId()
    const ofThisSession = () => qm.filter((d) => !(d.key ?? '').startsWith(`${runId}:agent-`))
    await until(
      () => ofThisSession().length >= qmExpected.length,
      `${qmExpected.length} QM deliveries`,
    )
    expect(ofThisSession().map((d) => d.key)).toEqual(qmExpected.map((e) => `${runId}:${e.key}`))
    expect(ofThisSession().map((d) => d.body)).toEqual(qmExpected.map((e) => e.payload))
    for (const delivery of qm) {
      expect(delivery.contract).toMatch(/^qm\.(AgentState|ChatState)$/)
      const checked = checkContract(delivery.contract!, delivery.body, { mode: 'strict' })
      expect(checked.ok ? [] : checked.issues.map((issue) => issue.message)).toEqual([])
    }

    // 4. The metadata and transcript files are in the storage folder under their documented names.
    const metadataPath = `ujet-metadata/chat-${id}.json`
    expect(files.map((f) => f.path)).toEqual(expect.arrayContaining([metadataPath]))
    const transcriptFile = files.find((f) => f.path.endsWith('.txt'))!
    for (const file of files) {
      const parsed = parseStoragePath(file.path)
      expect(
        parsed.ok && parsed.documented && parsed.sessionId === id && parsed.sessionType === 'chat',
      ).toBe(true)
    }
    expect(parseStoragePath(transcriptFile.path)).toMatchObject({
      ok: true,
      kind: 'transcript',
      extension: 'txt',
    })
    const storageDir = sim.storageDir!
    const metadataText = await until(
      () => readFile(join(storageDir, ...metadataPath.split('/')), 'utf8').catch(() => undefined),
      metadataPath,
    )
    const metadata = checkContract('metadata.chat', JSON.parse(metadataText), { mode: 'strict' })
    expect(metadata.ok ? [] : metadata.issues.map((issue) => issue.message)).toEqual([])
    expect(metadata.ok && (metadata.value as { id: number }).id).toBe(id)
    const transcriptText = await readFile(
      join(storageDir, ...transcriptFile.path.split('/')),
      'utf8',
    )
    expect(transcriptText).toBe(transcriptFile.content)
    const transcriptEmission = session.emissions.find((e) => e.surface === 'transcript')!
    const transcript = checkContract(transcriptEmission.contract, transcriptEmission.payload, {
      mode: 'strict',
    })
    expect(transcript.ok ? [] : transcript.issues.map((issue) => issue.message)).toEqual([])

    // 5. The outcome email came over SMTP: the metadata JSON as its body, the TXT transcript attached.
    const mail = await until(async () => {
      const list = (await (await fetch(`${sim.url}/mail/?session=${id}`)).json()) as {
        id: string
      }[]
      return list.length > 0 ? list : undefined
    }, 'the outcome email')
    expect(mail).toHaveLength(1)
    const message = (await (await fetch(`${sim.url}/mail/${mail[0]!.id}`)).json()) as {
      subject: string
      to: string[]
      text: string
      raw: string
      attachments: { filename: string; contentType: string; content: string }[]
    }
    // A raw source exists only for mail that came over SMTP (memory mail has none).
    expect(message.raw).toMatch(/content-type: multipart\/mixed/i)
    expect(message.to).toEqual(['crm-inbox@example.com'])
    expect(message.subject).toBe(`Session outcome: chat ${id}`)
    const body = checkContract('metadata.chat', JSON.parse(message.text), { mode: 'strict' })
    expect(body.ok ? [] : body.issues.map((issue) => issue.message)).toEqual([])
    expect(JSON.parse(message.text)).toEqual(JSON.parse(metadataText))
    expect(message.attachments).toHaveLength(1)
    expect(message.attachments[0]).toMatchObject({ filename: `chat-${id}.txt` })
    expect(message.attachments[0]!.contentType).toMatch(/^text\/plain/)
    expect(message.attachments[0]!.content.replace(/\r\n/g, '\n')).toBe(
      transcriptText.replace(/\r\n/g, '\n'),
    )

    await page.close()
  }, 120_000)

  function parentServerUrl(): string {
    return `http://127.0.0.1:${(parentServer.address() as AddressInfo).port}/crm`
  }
})
