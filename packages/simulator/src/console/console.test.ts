import { createHash } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Script } from 'node:vm'
import { type Browser, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createSimulatorApp } from '../app.js'
import type { SimulatorConfigInput } from '../config.js'
import { startSimulator, type RunningSimulator } from '../server.js'
import { CONSOLE_SCRIPT, CONSOLE_STYLE } from './page.js'
import { launchChromium } from '../../test/support/chromium.js'

const SECTIONS = [
  'clock',
  'start',
  'sessions',
  'timeline',
  'journal',
  'events',
  'storage',
  'mailbox',
  'embed',
]

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
    expect(CONSOLE_SCRIPT).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/)
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
    expect(csp).toContain(`script-src 'sha256-${sha256(CONSOLE_SCRIPT)}'`)
    expect(csp).toContain(`style-src 'sha256-${sha256(CONSOLE_STYLE)}'`)
    expect(csp).toContain("default-src 'none'")
    const html = await response.text()
    expect(html).toContain(`<script>${CONSOLE_SCRIPT}</script>`)
    expect(html).toContain(`<style>${CONSOLE_STYLE}</style>`)
  })

  it('ships a script that parses as JavaScript', () => {
    // Compiles without running: a syntax slip in the embedded string fails here, not in a browser.
    expect(() => new Script(CONSOLE_SCRIPT)).not.toThrow()
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

/** Polls `check` until it returns a value other than undefined/false, or fails at the deadline. */
async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  timeoutMs = 10_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs
  let last = ''
  for (;;) {
    try {
      const value = await check()
      if (value !== undefined && value !== false) return value
    } catch (error) {
      last = error instanceof Error ? error.message : JSON.stringify(error)
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last === '' ? '' : `: ${last}`}`)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

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
  ): Promise<{ sim: RunningSimulator; page: Page; errors: string[] }> {
    const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-console-'))
    dirs.push(dir)
    const sim = await startSimulator({
      config: { port: 0, clock: { mode: 'manual' }, storage: { dir: join(dir, 'storage') }, email },
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
      await row.click()
      await page.locator('#timeline-body .story li').first().waitFor()
      const published = page.locator('#timeline-body .emission.published')
      await published.first().waitFor()
      // A click on an emission opens its payload as JSON.
      await published.first().click()
      const payload = await page
        .locator('#timeline-body .emission.published pre')
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
      const link = page.locator('#storage-body a').first()
      await link.waitFor()
      const href = (await link.getAttribute('href')) ?? ''
      expect(href).toMatch(/^\/storage\/ujet-/)
      expect((await fetch(`${sim.url}${href}`)).status).toBe(200)
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
})
