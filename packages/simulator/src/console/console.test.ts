import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Script } from 'node:vm'
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import { createSimulatorApp } from '../app.js'
import type { SimulatorConfigInput } from '../config.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import { consoleClientScript } from './bundle.js'
import { CONSOLE_STYLE } from './page.js'
import { launchChromium } from '../../test/support/chromium.js'
import {
  advance,
  seriousViolations,
  until,
  webhookReceiver,
} from '../../test/support/console-driver.js'

const SECTIONS = [
  'clock',
  'start',
  'sessions',
  'session',
  'journal',
  'events',
  'storage',
  'mailbox',
  'agents',
  'deliveries',
  'faults',
  'embed',
]

/** The client's TypeScript sources. */
async function clientSources(): Promise<string[]> {
  const dir = join(import.meta.dirname, 'client')
  const names = (await readdir(dir)).filter((n) => n.endsWith('.ts'))
  return Promise.all(names.map((n) => readFile(join(dir, n), 'utf8')))
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('base64')
}

describe('the console page at /', () => {
  it('serves one self-contained HTML page with every section', async () => {
    const { app } = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    const response = await app.request('/')
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toMatch(/^text\/html/)
    const html = await response.text()
    for (const id of SECTIONS) expect(html).toContain(`id="${id}"`)
    expect(html).toContain('href="/openapi.json"')
    expect(html).toContain('/agent/?type=chat&amp;from=custom')
    expect(html).toContain("window.addEventListener('message'")
    // Nothing is loaded from elsewhere: the page works offline.
    expect(html).not.toMatch(/<script[^>]+src=/)
    expect(html).not.toMatch(/<link[^>]+stylesheet/)
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//)
    // The data never goes through innerHTML.
    for (const source of await clientSources()) {
      expect(source).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/)
    }
  })

  it('links only to pages that answer from its header (the mock CRM at /crm/ included)', async () => {
    const { app } = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    const html = await (await app.request('/')).text()
    const nav = /<nav[^>]*>([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? ''
    const hrefs = [...nav.matchAll(/href="([^"]+)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&'))
    expect(hrefs).toContain('/crm/')
    for (const href of hrefs) {
      if (href.startsWith('#')) {
        expect(html, href).toContain(`id="${href.slice(1)}"`)
        continue
      }
      expect((await app.request(href)).status, href).toBe(200)
    }
  })

  it('shows the manual-clock buttons only when the clock is manual', async () => {
    const manual = await createSimulatorApp({ config: { clock: { mode: 'manual' } } }).app.request(
      '/',
    )
    expect(await manual.text()).toMatch(/<span class="row" id="clock-controls">/)
    const scaled = createSimulatorApp({
      config: { clock: { mode: 'scaled' } },
      wall: { now: () => 0, setTimeout: () => 0, clearTimeout: () => undefined },
    })
    expect(await (await scaled.app.request('/')).text()).toMatch(
      /<span class="row" id="clock-controls" hidden>/,
    )
  })

  it('allows exactly its own inline script and style through its Content-Security-Policy', async () => {
    const { app } = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    const response = await app.request('/')
    const csp = response.headers.get('content-security-policy') ?? ''
    const script = await consoleClientScript()
    expect(csp).toContain(`script-src 'sha256-${sha256(script)}'`)
    expect(csp).toContain(`style-src 'sha256-${sha256(CONSOLE_STYLE)}'`)
    expect(csp).toContain("default-src 'none'")
    const html = await response.text()
    expect(html).toContain(`<script>${script}</script>`)
    expect(html).toContain(`<style>${CONSOLE_STYLE}</style>`)
  })

  it('ships its TypeScript client bundled into one classic script', async () => {
    const script = await consoleClientScript()
    // Compiles without running: a bundling slip fails here, not in a browser.
    expect(() => new Script(script)).not.toThrow()
    // No module syntax is left (it runs as an inline classic script), and the views are in it.
    expect(script).not.toMatch(/^\s*(import|export)\s/m)
    for (const fn of [
      'loadSession',
      'loadJournal',
      'showMail',
      'showFile',
      'loadAgents',
      'loadDeliveries',
    ]) {
      expect(script).toContain(fn)
    }
  })

  it('leaves every other path to the app (not found, as problem+json)', async () => {
    const { app } = createSimulatorApp({ config: { clock: { mode: 'manual' } } })
    for (const [method, path] of [
      ['GET', '/index.html'],
      ['GET', '/console'],
    ] as const) {
      const response = await app.request(path, { method })
      expect(response.status, `${method} ${path}`).toBe(404)
      expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/)
      const body = (await response.json()) as { type: string }
      expect(body.type).toBe('not_found')
    }
    // The page is GET only: another method is 405 with Allow.
    const post = await app.request('/', { method: 'POST' })
    expect(post.status).toBe(405)
    expect(post.headers.get('allow')).toBe('GET, HEAD')
    expect(((await post.json()) as { type: string }).type).toBe('method_not_allowed')
    // The other route families mounted at / still answer.
    expect((await app.request('/openapi.json')).status).toBe(200)
  })
})

async function clockNow(sim: RunningSimulator): Promise<string> {
  const response = await fetch(`${sim.url}/_sim/clock`)
  return ((await response.json()) as { now: string }).now
}

/** Clicks the clock button for `ms` and waits until the simulator's clock has moved by exactly that. */
async function advanceWithButton(page: Page, sim: RunningSimulator, ms: number): Promise<string> {
  const before = Date.parse(await clockNow(sim))
  await page.click(`#clock-controls button[data-ms="${ms}"]`)
  return until(`the clock to advance ${ms} ms`, async () => {
    const now = await clockNow(sim)
    return Date.parse(now) === before + ms ? now : undefined
  })
}

describe('the console in a real browser', () => {
  let browser: Browser
  const dirs: string[] = []

  beforeAll(async () => {
    browser = await launchChromium()
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    for (const dir of dirs) await rm(dir, { recursive: true, force: true })
  })

  /** A fresh simulator (manual clock, storage in a temporary folder) and a page that records its errors. */
  async function open(
    email: SimulatorConfigInput['email'],
    more: Omit<SimulatorConfigInput, 'email'> = {},
    configFile?: string,
  ): Promise<{ sim: RunningSimulator; page: Page; errors: string[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-console-'))
    dirs.push(dir)
    const sim = await startSimulator({
      config: {
        port: 0,
        clock: { mode: 'manual' },
        storage: { dir: join(dir, 'storage') },
        email,
        ...more,
      },
      configFile,
    })
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
    const errors: string[] = []
    page.on('pageerror', (error) => errors.push(error.message))
    page.on('console', (message) => {
      // The browser logs every 4xx answer; the problems the page shows on purpose are not faults.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
        errors.push(message.text())
      }
    })
    await page.goto(`${sim.url}/`)
    return { sim, page, errors }
  }

  it('drives a scenario from the form to its files, and shows bad input by field', async () => {
    const { sim, page, errors } = await open({ enabled: false })
    try {
      await page
        .locator('#scenario option[value="web-chat-va-escalation"]')
        .waitFor({ state: 'attached' })
      await until(
        'the clock to show',
        async () => (await page.locator('#clock-now').textContent()) === (await clockNow(sim)),
      )

      // The embedding demo: the adapter page in an iframe, its posts listed by the console.
      await page.click('#embed-toggle')
      const adapterStatus = page.frameLocator('#embed-demo iframe').locator('#status')
      await until(
        'the adapter page to connect',
        async () => (await adapterStatus.textContent()) === 'connected',
      )

      // Start a scenario through the form: it appears in the list.
      // This scenario emits at once and writes its transcript minutes later, well within 20 minutes.
      await page.selectOption('#scenario', 'web-chat-va-escalation')
      await page.fill('#seed', '7')
      await page.click('#start-button')
      await page.locator('#start-result .notice').waitFor()
      const sessions = (await (await fetch(`${sim.url}/_sim/sessions`)).json()) as {
        id: number
        seed: number
      }[]
      expect(sessions).toHaveLength(1)
      const id = sessions[0]!.id
      expect(sessions[0]!.seed).toBe(7)
      const row = page.locator(`#sessions tr[data-session-id="${id}"]`)
      await row.waitFor()
      expect(await row.textContent()).toContain('web-chat-va-escalation')

      // The +1 min button moves the virtual clock, and the page shows the new time.
      const after = await advanceWithButton(page, sim, 60_000)
      await until(
        'the page to show the advanced clock',
        async () => (await page.locator('#clock-now').textContent()) === after,
      )

      // Selecting the session shows its timeline, with payloads already published.
      await row.locator('button').click()
      await page.locator('#session-body .story li').first().waitFor()
      const published = page.locator('#session-body .emission.published summary')
      await published.first().waitFor()
      // A click on an emission opens its payload as JSON.
      await published.first().click()
      const payload = await page
        .locator('#session-body .emission.published pre')
        .first()
        .textContent()
      expect(() => JSON.parse(payload ?? '') as unknown).not.toThrow()

      // Twenty more virtual minutes: the session has ended and its first files are in storage.
      await advanceWithButton(page, sim, 900_000)
      for (let i = 0; i < 5; i += 1) await advanceWithButton(page, sim, 60_000)
      // The adapter iframe posted the chat's events to the console, as it would to a CRM page.
      await until('the adapter posts', async () =>
        ((await page.locator('#embed-log').textContent()) ?? '').includes('End_Chat'),
      )
      const link = page.locator('#storage-body button[data-path]').first()
      await link.waitFor()
      const path = (await link.getAttribute('data-path')) ?? ''
      expect(path).toMatch(/^ujet-/)
      expect((await fetch(`${sim.url}/storage/${path}`)).status).toBe(200)
      // The journal lists what happened, newest first.
      await page.locator('#journal-body li').first().waitFor()
      const seqs = await page.locator('#journal-body li .t').allTextContents()
      const numbers = seqs.map((t) => Number(/#(\d+)/.exec(t)?.[1]))
      expect(numbers.length).toBeGreaterThan(1)
      expect(numbers).toEqual([...numbers].sort((a, b) => b - a))
      // Email is off: the in-memory mailbox is there, and empty.
      await until('the empty mailbox', async () =>
        ((await page.locator('#mailbox-body').textContent()) ?? '').includes('No mail yet'),
      )

      // A bad seed: the form shows the problem and names the field.
      await page.fill('#seed', '-1')
      await page.click('#start-button')
      const problem = page.locator('#start-result .problem')
      await problem.waitFor()
      const text = (await problem.textContent()) ?? ''
      expect(text).toContain('seed')
      expect(await page.locator('#start-result .problem li code').first().textContent()).toBe(
        'seed',
      )
      expect((await (await fetch(`${sim.url}/_sim/sessions`)).json()) as unknown[]).toHaveLength(1)

      // A seed that is not a number at all reaches the server as typed and is refused by name too.
      await page.fill('#seed', 'abc')
      await page.click('#start-button')
      await until('the second problem', async () =>
        ((await problem.textContent()) ?? '').includes('abc'),
      )

      await page.fill('#seed', '-1')
      await page.click('#start-button')
      await until('the first problem again', async () =>
        ((await problem.textContent()) ?? '').includes('-1'),
      )
      await page.screenshot({ path: '/tmp/ccai-sim-console.png', fullPage: true })
      expect(errors).toEqual([])
    } finally {
      await page.close()
      await sim.close()
    }
  }, 60_000)

  it('says the mailbox is off, with the problem, when mail goes to an outside SMTP server', async () => {
    // Nothing is sent (no session runs), so the unreachable SMTP server is never contacted.
    const { sim, page, errors } = await open({ smtp: { host: '127.0.0.1', port: 9 } })
    try {
      const box = page.locator('#mailbox-body .problem')
      await box.waitFor()
      const text = (await box.textContent()) ?? ''
      expect(text).toContain('not_found')
      expect(text).toContain('built-in SMTP server')
      expect(await page.locator('#mailbox-body').textContent()).toContain('not available')
      // The rest of the page still works.
      await page.locator('#scenario option').first().waitFor({ state: 'attached' })
      expect(errors).toEqual([])
    } finally {
      await page.close()
      await sim.close()
    }
  }, 60_000)

  it('retries a given-up webhook delivery with one click, and it arrives with its idempotency key', async () => {
    const receiver = await webhookReceiver()
    receiver.down.value = true
    const { sim, page, errors } = await open(
      { enabled: false },
      {
        webhooks: {
          adapter: [{ url: receiver.url }],
          // Retries run on the real clock here: give up after a few quick failures.
          retry: { initialDelayMs: 20, maxDelayMs: 20, giveUpAfterMs: 100, timeoutMs: 1_000 },
        },
      },
    )
    try {
      await fetch(`${sim.url}/_sim/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario: 'inbound-ivr-call', seed: 5 }),
      })
      await advance(sim.url, 600_000)
      const retry = page.locator('#deliveries li[data-delivery] button.retry').first()
      await retry.waitFor()
      const given = page.locator('#deliveries li[data-delivery]').first()
      const key = (await given.locator('span.mono').nth(1).textContent()) ?? ''
      expect(key).not.toBe('')
      expect(receiver.received).toEqual([])

      receiver.down.value = false
      await retry.focus()
      await page.keyboard.press('Enter')
      await until('the retried delivery at the receiver', () =>
        Promise.resolve(receiver.received.some((r) => r.headers['idempotency-key'] === key)),
      )
      await page.locator('#retry-result .notice').waitFor()

      // Started without a configuration file: saving the targets is refused, saying why.
      await page.click('#webhook-save')
      const refused = page.locator('#webhook-result .problem')
      await refused.waitFor()
      expect(await refused.textContent()).toContain('without a configuration file')
      expect(await seriousViolations(page)).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await page.close()
      await sim.close()
      await receiver.close()
    }
  }, 60_000)

  it('saves a webhook target added in the console into the configuration file, comments kept', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-console-config-'))
    dirs.push(dir)
    const file = join(dir, 'sim.jsonc')
    await writeFile(file, '{\n  // ours\n  "seed": 4\n}\n')
    const { sim, page, errors } = await open({ enabled: false }, { seed: 4 }, file)
    try {
      await page.locator('#deliveries .no-webhooks').waitFor()
      await page.fill('#webhook-url', 'http://receiver.test/saved')
      await page.click('#webhook-add')
      await page.locator('#deliveries .targets li').first().waitFor()
      // Until asked, the file is untouched.
      expect(await readFile(file, 'utf8')).not.toContain('receiver.test')
      await page.locator('#webhook-save').focus()
      await page.keyboard.press('Enter')
      await page.locator('#webhook-result .notice').waitFor()
      const text = await readFile(file, 'utf8')
      expect(text).toContain('// ours')
      expect(text).toContain('http://receiver.test/saved')
      expect(errors).toEqual([])
    } finally {
      await page.close()
      await sim.close()
    }
  }, 60_000)

  it('adds, lists and removes mock CRM fault rules from the faults panel, refusing a bad one by field', async () => {
    const { sim, page, errors } = await open({ enabled: false })
    const rules = async () =>
      (await (await fetch(`${sim.url}/_sim/crm/faults`)).json()) as {
        id: string
        route: string
        kind: string
        status?: number
      }[]
    try {
      await page.locator('#faults .no-faults').waitFor()
      await page.selectOption('#fault-route', 'create_record')
      await page.selectOption('#fault-kind', 'status')
      await page.fill('#fault-status', '503')
      await page.click('#fault-add')
      await page.locator('#faults li[data-fault]').first().waitFor()
      expect(await rules()).toMatchObject([{ route: 'create_record', kind: 'status', status: 503 }])
      expect(await page.locator('#faults li[data-fault]').first().textContent()).toContain(
        'HTTP 503',
      )

      // A probability above 1 is refused by field, and adds nothing.
      await page.fill('#fault-probability', '2')
      await page.click('#fault-add')
      const refused = page.locator('#fault-result .problem')
      await refused.waitFor()
      expect(await refused.locator('li code').first().textContent()).toBe('probability')
      expect(await rules()).toHaveLength(1)

      await page.fill('#fault-probability', '1')
      await page.selectOption('#fault-kind', 'connection-reset')
      await page.click('#fault-add')
      await until(
        'two rules',
        async () => (await page.locator('#faults li[data-fault]').count()) === 2,
      )
      expect(await seriousViolations(page)).toEqual([])

      // One removed by its button (reached by keyboard), then the rest at once.
      await page.locator('#faults li[data-fault] button').first().focus()
      await page.keyboard.press('Enter')
      await until(
        'one rule',
        async () => (await page.locator('#faults li[data-fault]').count()) === 1,
      )
      expect((await rules()).map((r) => r.kind)).toEqual(['connection-reset'])
      await page.click('#fault-clear')
      await page.locator('#faults .no-faults').waitFor()
      expect(await rules()).toEqual([])
      expect(errors).toEqual([])
    } finally {
      await page.close()
      await sim.close()
    }
  }, 60_000)

  it('shows a call end to end: CRM exchanges, a recording that plays, its mail, a webhook added at run time', async () => {
    const receiver = await webhookReceiver()
    const { sim, page, errors } = await open({})
    try {
      await page.locator('#scenario option').first().waitFor({ state: 'attached' })
      // No webhook yet: the panel says so rather than showing an empty list.
      await page.locator('#deliveries .no-webhooks').waitFor()

      // A webhook target added in the console reaches the control API at once.
      await page.fill('#webhook-url', receiver.url)
      await page.fill('#webhook-header-name', 'x-api-key')
      await page.fill('#webhook-header-value', 'k-123')
      await page.click('#webhook-add')
      await page.locator('#deliveries .targets li').first().waitFor()
      const hooks = (await (await fetch(`${sim.url}/_sim/webhooks`)).json()) as {
        adapter: { url: string; headers: Record<string, string> }[]
      }
      expect(hooks.adapter).toEqual([{ url: receiver.url, headers: { 'x-api-key': 'k-123' } }])
      // A bad URL is refused by field, and changes nothing.
      await page.fill('#webhook-url', 'not a url')
      await page.click('#webhook-add')
      const refused = page.locator('#webhook-result .problem')
      await refused.waitFor()
      expect(await refused.locator('li code').first().textContent()).toBe('adapter[1].url')

      // A call with the form's parameters; its story runs on the virtual clock.
      await page.selectOption('#scenario', 'inbound-ivr-call')
      await page.fill('#seed', '11')
      await page.fill('#param-talkSeconds', '40')
      await page.click('#start-button')
      await page.locator('#start-result .notice').waitFor()
      const [session] = (await (await fetch(`${sim.url}/_sim/sessions`)).json()) as {
        id: number
      }[]
      const id = session!.id
      // A chat starts five virtual minutes later (its mail comes with a transcript).
      await advance(sim.url, 300_000)
      await fetch(`${sim.url}/_sim/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenario: 'web-chat-va-escalation', seed: 3 }),
      })
      // Ninety virtual minutes: the call is over, its files are written, its mail sent.
      for (let i = 0; i < 6; i += 1) await advance(sim.url, 900_000)

      // The webhook receiver got the adapter events, with the header, and the deliveries view counts them.
      await until('webhooks at the receiver', () => Promise.resolve(receiver.received.length > 0))
      expect(receiver.received[0]!.headers['x-api-key']).toBe('k-123')
      const lane = page.locator(`#deliveries tr[data-lane="${receiver.url}"]`)
      await until('the delivered count', async () => {
        const cells = await lane.locator('td.num').allTextContents()
        return Number(cells[1]) > 0
      })

      // The session page: the CRM lane lists each request; one opens to its exchange.
      await page.locator('#session-body [data-lane="crm"] details.crm-exchange').first().waitFor()
      // The record it creates (a POST): its answer is an object, shown indented.
      const exchange = page
        .locator('#session-body [data-lane="crm"] details.crm-exchange')
        .filter({ hasText: 'POST' })
        .first()
      await exchange.locator('summary').click()
      const request = (await exchange.locator('pre.request').textContent()) ?? ''
      expect(request).toMatch(/^POST http/)
      expect(
        JSON.parse((await exchange.locator('pre.request-body').textContent()) ?? ''),
      ).toBeTypeOf('object')
      // The credentials the client sent are masked, as the journal holds them.
      const settings = (await (
        await fetch(`${sim.url}/_sim/crm/settings?secrets=include`)
      ).json()) as {
        authentication: { fields: { field_key: string; field_value: string }[] }
      }
      const key = settings.authentication.fields[0]!
      expect(request).toContain(`${key.field_key}: ***`)
      expect(request).not.toContain(key.field_value)
      const answer = (await exchange.locator('pre.response-body').textContent()) ?? ''
      expect(() => JSON.parse(answer) as unknown).not.toThrow()
      expect(answer).toContain('\n  ')
      // The inputs that drove the session, by who gave them.
      const inputs = await page
        .locator('#session-body [data-lane="inputs"] summary .chip')
        .allTextContents()
      expect(inputs).toContain('customer')
      expect(inputs).toContain('crm')

      // The journal: filtered to this session's CRM exchanges, a row opens to the same exchange.
      await page.selectOption('#journal-type', 'crm-exchange')
      await page.fill('#journal-session', String(id))
      const journalRows = page.locator('#journal-body li[data-type]')
      await journalRows.first().waitFor()
      expect(
        new Set(
          await journalRows.evaluateAll((els) => els.map((e) => e.getAttribute('data-type'))),
        ),
      ).toEqual(new Set(['crm-exchange']))
      await journalRows.first().locator('summary').click()
      await journalRows.first().locator('pre.request').waitFor()

      // Storage: the recording plays in the preview.
      const recording = page.locator('#storage-body button[data-path*="recording"]').first()
      await recording.waitFor()
      await recording.click()
      const audio = page.locator('#storage-preview audio')
      await audio.waitFor()
      const played = await audio.evaluate(async (el: HTMLAudioElement) => {
        await el.play()
        const duration = el.duration
        el.pause()
        return { duration, error: el.error?.code ?? null }
      })
      expect(played.error).toBeNull()
      expect(played.duration).toBeGreaterThan(1)
      // A JSON file is pretty-printed.
      const metadata = page.locator('#storage-body button[data-path$=".json"]').first()
      await metadata.click()
      const json = (await page.locator('#storage-preview pre.preview-json').textContent()) ?? ''
      expect(JSON.parse(json)).toBeTypeOf('object')

      // Mail: the call's outcome mail opens from its session page.
      const mailButton = page.locator('#session-body [data-lane="mail"] button').first()
      await mailButton.waitFor()
      await mailButton.click()
      await until('the call mail', async () =>
        (
          (await page.locator('#mail-view:not([hidden]) #mail-subject').textContent()) ?? ''
        ).includes(`call ${String(id)}`),
      )
      // The chat's mail, sent later, is listed first (newest first) and carries its transcript.
      const mailTimes = await page.locator('#mailbox-body li > .t').allTextContents()
      expect(mailTimes).toHaveLength(2)
      expect(mailTimes).toEqual([...mailTimes].sort().reverse())
      await page.locator(`#mailbox-body li[data-mail-id] button`, { hasText: 'chat' }).click()
      await until('the chat mail', async () =>
        ((await page.locator('#mail-subject').textContent()) ?? '').includes('chat'),
      )
      const view = (await page.locator('#mail-view').textContent()) ?? ''
      expect(view).toContain('From')
      expect(await page.locator('#mail-view pre.mail-text').textContent()).not.toBe('')
      const attachment = page.locator('#mail-view .attachments a').first()
      expect(await attachment.textContent()).toMatch(/^chat-\d+\.txt$/)
      expect(await attachment.getAttribute('download')).not.toBeNull()
      const download = await fetch(`${sim.url}${(await attachment.getAttribute('href')) ?? ''}`)
      expect(download.status).toBe(200)
      expect(await download.text()).not.toBe('')

      // Agents: the roster shows presence.
      await page.locator('#agents-body tr[data-agent-id]').first().waitFor()
      // The peers: no Harmony client has prepared a session, the Expertflow peer is off.
      await until('the peers', async () =>
        ((await page.locator('#peers-body').textContent()) ?? '').includes('Off (configuration'),
      )
      expect(await page.locator('#peers-body').textContent()).toContain('No session resource')
      // A Harmony client prepares a session: the panel counts its traffic and lists the messages.
      const harmony = new WebSocket(`${sim.url.replace(/^http/, 'ws')}/harmony/ws`)
      await new Promise((resolve, reject) => {
        harmony.once('open', resolve)
        harmony.once('error', reject)
      })
      const answered = new Promise((resolve) => harmony.once('message', resolve))
      harmony.send(
        JSON.stringify({
          command: 'prepareSession',
          data: { model: 'AvayaTelephony', override: false, agent: { id: '7', password: 'pw' } },
        }),
      )
      await answered
      const harmonyTraffic = page.locator('#peers-body [data-traffic="harmony"]')
      await until('the Harmony traffic', async () =>
        ((await harmonyTraffic.textContent().catch(() => '')) ?? '').includes('1 message in'),
      )
      await harmonyTraffic.locator('summary').click()
      // The table is built when the disclosure opens (the toggle event), and polls redraw it open.
      const rows = await until('the Harmony traffic table', async () => {
        const texts = await harmonyTraffic.locator('tbody tr').allTextContents()
        return texts.length > 0 ? texts : undefined
      })
      // Newest first: the session resource's answer, then the request that asked for it.
      expect(rows.at(-1)).toMatch(/from client\s*ws#1\s*prepareSession/)
      harmony.close()

      // Accessibility: no serious or critical WCAG 2 A/AA violation with every view filled in.
      expect(await seriousViolations(page)).toEqual([])

      // Narrow widths: the page does not scroll sideways.
      await page.setViewportSize({ width: 380, height: 900 })
      // Any element reaching past the viewport's right edge is named, so a failure says which.
      const wide = await page.evaluate(() =>
        [...document.querySelectorAll('body *')]
          .filter(
            (el) => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1,
          )
          .filter((el) => el.closest('.scroll, .scroll-x, pre, [hidden]') === null)
          .slice(0, 5)
          .map((el) => `${el.tagName.toLowerCase()}#${el.id}.${el.className}`),
      )
      expect(wide).toEqual([])
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      )
      expect(overflow).toBeLessThanOrEqual(0)
      expect(errors).toEqual([])
    } finally {
      await page.close()
      await sim.close()
      await receiver.close()
    }
  }, 120_000)
})
