import { createSimulatorApp, type SimulatorApp } from '@ccai-sim/simulator'
import {
  chromium,
  type Browser,
  type BrowserContext,
  type Frame,
  type Page,
  type Request as PwRequest,
  type Route,
} from 'playwright-core'
import { ContractTestsError } from '../errors.js'

/*
 * The CRM page in real Chromium, with the simulator's adapter page answering the configured adapter
 * origin inside the browser: every request to that origin is routed (`BrowserContext.route`) to
 * the simulator's `/agent/` page, to a session look-up the suite answers, and to an event stream
 * the suite feeds. Nothing reaches the real tenant, and the user's page needs no change: it loads
 * its adapter iframe from the origin it always uses.
 *
 * Decisions:
 * - The event stream is answered one batch at a time: a stream request waits until the suite
 *   delivers a batch, gets it as a complete `text/event-stream` body with `retry: 10`, and the
 *   adapter page's EventSource reconnects for the next one. Route fulfilment cannot stream, and
 *   this keeps every batch in order.
 * - "Handled" is observed, never timed: each adapter frame counts the events it handled (posted or
 *   not, its own `data-posted` and counts line), and an init script in the top window counts the
 *   messages that arrive from the adapter origin, ahead of any listener of the page. A batch is
 *   done when both counts reach it, plus two task turns for handlers that defer their work.
 * - Uncaught errors and unhandled rejections of the top window are collected by the same init
 *   script, each with the type of the adapter event that arrived last.
 */

/** Debian's Chromium, as the simulator's browser tests use it (`.ci/run` installs it). */
export const CHROMIUM_PATH = '/usr/bin/chromium'

/** Headless Chromium with the flags a root CI container needs. */
export function launchChromium(executablePath: string = CHROMIUM_PATH): Promise<Browser> {
  return chromium
    .launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    })
    .catch((error: unknown) => {
      throw new ContractTestsError(
        'invalid_options',
        `cannot start Chromium at ${executablePath} (install it: apt-get install chromium): ${error instanceof Error ? error.message : String(error)}`,
      )
    })
}

/** One event for the adapter to post: a payload and the session it belongs to. */
export interface AdapterEvent {
  readonly sessionId: number
  readonly payload: unknown
}

/** An uncaught error of the CRM page. */
export interface PageError {
  readonly message: string
  /** The type of the adapter event that arrived last before it, if any. */
  readonly afterEvent?: string
}

/** What the top window's init script recorded. */
interface Observed {
  readonly fromAdapter: number
  readonly errors: readonly PageError[]
  readonly messages: readonly { readonly origin: string; readonly type?: string }[]
}

/** The adapter iframes the page loaded, by frame. */
interface AdapterFrame {
  readonly frame: Frame
  readonly type: 'call' | 'chat'
  readonly url: string
  /** Batches delivered but not yet fetched by the frame's stream. */
  readonly queue: string[]
  /** A stream request waiting for the next batch. */
  waiting: ((body: string) => void) | undefined
  /** Events delivered to this frame so far. */
  delivered: number
}

const CALL_TYPES = new Set([
  'New_Call',
  'End_Call',
  'Call_Redaction_Started',
  'Call_Redaction_Stopped',
  'Transfer_Call',
  'Agent_Joined_Call',
])
const CHAT_TYPES = new Set([
  'New_Chat',
  'Active_Chat',
  'Chat_Inbound_Message',
  'Chat_Outbound_Message',
  'End_Chat',
  'Dismissed_Chat',
  'Transfer_Chat',
  'Agent_Joined_Chat',
  'Cobrowse_Session_Started',
  'Cobrowse_Session_Remote_Control_Changed',
  'Cobrowse_Session_Full_Device_Changed',
  'Cobrowse_Session_Ended',
])

function field(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object'
    ? (value as Record<string, unknown>)[key]
    : undefined
}

/** The kind of session an event belongs to, when the event says (type, `call_id`, `chat_id`). */
export function kindOfEvent(payload: unknown): 'call' | 'chat' | undefined {
  const type = String(field(payload, 'type'))
  if (CALL_TYPES.has(type)) return 'call'
  if (CHAT_TYPES.has(type)) return 'chat'
  const data = field(payload, 'data')
  if (field(data, 'call_id') != null) return 'call'
  if (field(data, 'chat_id') != null) return 'chat'
  return undefined
}

const INIT_SCRIPT = `(() => {
  if (window !== window.top) return;
  const adapterOrigin = ADAPTER_ORIGIN;
  const state = { fromAdapter: 0, errors: [], messages: [], last: undefined };
  Object.defineProperty(window, '__ccaiContract', { value: state, enumerable: false });
  window.addEventListener('message', (event) => {
    let type;
    try {
      const parsed = typeof event.data === 'string' ? JSON.parse(event.data) : event.data;
      if (parsed && typeof parsed.type === 'string') type = parsed.type;
    } catch (error) { /* not JSON: still a message */ }
    state.messages.push({ origin: event.origin, type });
    if (event.origin === adapterOrigin) { state.fromAdapter += 1; state.last = type; }
  }, true);
  window.addEventListener('error', (event) => {
    state.errors.push({ message: String(event.message || (event.error && event.error.message) || 'error'), afterEvent: state.last });
  });
  window.addEventListener('unhandledrejection', (event) => {
    const reason = event.reason;
    state.errors.push({ message: 'unhandled rejection: ' + String(reason && reason.message ? reason.message : reason), afterEvent: state.last });
  });
})();`

/** Options of {@link PageBrowser.open}. */
export interface OpenPageOptions {
  readonly browser: Browser
  /** The CRM page. */
  readonly url: string
  /** The origin the page loads the adapter from: answered in the browser by the simulator. */
  readonly adapterOrigin: string
  /** The record URL prefix the suite routes (record pops go there). */
  readonly recordPrefix: string
  /** Another origin, for the security clause's intruder frame. */
  readonly intruderOrigin: string
  /** How long to wait for anything (ms). */
  readonly timeoutMs: number
  /** How long `waitForAdapter` waits for the first adapter frame after the page loaded (ms); default `timeoutMs`. */
  readonly adapterTimeoutMs?: number | undefined
  /** The simulator app whose `/agent/` page is served. */
  readonly simulator: SimulatorApp
}

/**
 * One opened CRM page in a fresh browser context, with the adapter origin routed to the simulator:
 * what every page clause (and a user's own expectations) works with.
 */
export class PageBrowser {
  readonly page: Page
  readonly context: BrowserContext
  readonly options: OpenPageOptions
  /** Adapter frames, in the order the page loaded them. */
  readonly adapters: AdapterFrame[] = []
  /** Every request to the record prefix (navigations, popups, frames). */
  readonly recordRequests: string[] = []
  /** Every request to the intruder origin's pages other than its frame. */
  readonly intruderRequests: string[] = []
  /** Requests to the adapter origin the suite does not serve. */
  readonly unknownAdapterRequests: string[] = []
  private readonly sessionKinds = new Map<number, 'call' | 'chat'>()
  private readonly listeners: ((url: string) => void)[] = []
  private readonly intruderListeners: (() => void)[] = []
  private readonly adapterListeners: (() => void)[] = []
  private crashed = false
  private closed = false

  private constructor(context: BrowserContext, page: Page, options: OpenPageOptions) {
    this.context = context
    this.page = page
    this.options = options
  }

  /** Opens the page; resolves once its `load` event fired (or rejects naming what went wrong). */
  static async open(options: OpenPageOptions): Promise<PageBrowser> {
    const context = await options.browser.newContext()
    context.setDefaultTimeout(options.timeoutMs)
    await context.addInitScript({
      content: INIT_SCRIPT.replace('ADAPTER_ORIGIN', JSON.stringify(options.adapterOrigin)),
    })
    const page = await context.newPage()
    const opened = new PageBrowser(context, page, options)
    await opened.install()
    try {
      await page.goto(options.url, { waitUntil: 'load', timeout: options.timeoutMs })
    } catch (error) {
      await opened.close()
      throw error
    }
    return opened
  }

  private async install(): Promise<void> {
    const { adapterOrigin, recordPrefix, intruderOrigin } = this.options
    this.page.on('crash', () => {
      this.crashed = true
    })
    this.context.on('request', (request: PwRequest) => {
      const url = request.url()
      if (url.startsWith(recordPrefix)) {
        this.recordRequests.push(url)
        for (const listener of this.listeners) listener(url)
      }
      if (url.startsWith(`${intruderOrigin}/`) && !url.endsWith('/frame.html')) {
        this.intruderRequests.push(url)
        for (const listener of this.intruderListeners) listener()
      }
    })
    this.context.on('page', () => {
      for (const listener of this.intruderListeners) listener()
    })
    await this.context.route(
      (url) => url.origin === adapterOrigin,
      (route) => this.serveAdapterOrigin(route),
    )
    await this.context.route(
      (url) => url.href.startsWith(recordPrefix),
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          body: '<!doctype html><title>CRM record</title><p>The record the adapter popped.</p>',
        }),
    )
    await this.context.route(
      (url) => url.origin === intruderOrigin,
      (route) => this.serveIntruder(route),
    )
  }

  private async serveAdapterOrigin(route: Route): Promise<void> {
    const request = route.request()
    const url = new URL(request.url())
    const path = url.pathname
    if (path === '/agent/' || path === '/agent') {
      const response = await this.options.simulator.app.request(`/agent/${url.search}`)
      const frame = safeFrame(request)
      const type = url.searchParams.get('type')
      if (response.status === 200 && frame && (type === 'call' || type === 'chat')) {
        this.adapters.push({
          frame,
          type,
          url: url.href,
          queue: [],
          waiting: undefined,
          delivered: 0,
        })
        for (const listener of this.adapterListeners) listener()
      }
      await route.fulfill({
        status: response.status,
        headers: Object.fromEntries(response.headers),
        body: Buffer.from(await response.arrayBuffer()),
      })
      return
    }
    const session = /^\/agent\/sessions\/(\d+)$/.exec(path)
    if (session?.[1] !== undefined) {
      const id = Number(session[1])
      const frame = safeFrame(request)
      const asker = this.adapters.find((a) => a.frame === frame)
      const kind = this.sessionKinds.get(id) ?? asker?.type ?? 'call'
      await route.fulfill({
        status: 200,
        contentType: 'application/json',
        body: JSON.stringify({
          id,
          kind,
          scenario: 'ccai-contract page suite',
          state: 'active',
          endUser: { name: 'Kim Doe', phone: '+12125550142', email: 'kim.doe@example.com' },
          queue: { id: 12, path: 'Support / Orders' },
        }),
      })
      return
    }
    if (path === '/events') {
      const frame = safeFrame(request)
      const adapter = this.adapters.find((a) => a.frame === frame)
      if (!adapter) {
        await route.fulfill({ status: 204, body: '' })
        return
      }
      const body = await this.nextBatch(adapter)
      await route
        .fulfill({
          status: body === undefined ? 204 : 200,
          headers: { 'content-type': 'text/event-stream', 'cache-control': 'no-store' },
          body: body ?? '',
        })
        .catch(() => {
          // The frame went away (navigation, close) while its stream waited: nothing to answer.
        })
      return
    }
    this.unknownAdapterRequests.push(url.href)
    await route.fulfill({
      status: 404,
      contentType: 'application/problem+json',
      body: JSON.stringify({ title: 'Not Found', status: 404, detail: `no route for ${path}` }),
    })
  }

  private nextBatch(adapter: AdapterFrame): Promise<string | undefined> {
    const ready = adapter.queue.shift()
    if (ready !== undefined) return Promise.resolve(ready)
    if (this.closed) return Promise.resolve(undefined)
    return new Promise((resolve) => {
      adapter.waiting = (body) => {
        adapter.waiting = undefined
        resolve(body)
      }
    })
  }

  private async serveIntruder(route: Route): Promise<void> {
    const url = new URL(route.request().url())
    if (url.pathname !== '/frame.html') {
      await route.fulfill({
        status: 200,
        contentType: 'text/html',
        body: '<!doctype html><p>intruder</p>',
      })
      return
    }
    const phish = `${this.options.intruderOrigin}/phish/record`
    const events = [
      { type: 'CRM_Record_Pop', data: { recordUrl: phish } },
      { type: 'New_Call', data: { call_id: 9, session_type: 'Voice Inbound (IVR)' } },
    ]
    const script = `
      const events = ${JSON.stringify(events)};
      for (const event of events) {
        window.parent.postMessage(JSON.stringify(event), '*');
        window.parent.postMessage(event, '*');
      }
      document.documentElement.dataset.sent = String(events.length * 2);`
    await route.fulfill({
      status: 200,
      contentType: 'text/html; charset=utf-8',
      body: `<!doctype html><title>intruder</title><script>${script}</script>`,
    })
  }

  /** Whether the page loaded an adapter frame within the timeout (`waitForAdapter` without the error). */
  async adapterLoaded(): Promise<boolean> {
    try {
      await this.waitForAdapter()
      return true
    } catch {
      return false
    }
  }

  /** The adapter frames the page loaded so far; waits up to the timeout for the first one. */
  async waitForAdapter(): Promise<readonly AdapterFrame[]> {
    if (this.adapters.length > 0) return this.adapters
    const timeoutMs = this.options.adapterTimeoutMs ?? this.options.timeoutMs
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`no adapter iframe within ${timeoutMs} ms`))
      }, timeoutMs)
      this.adapterListeners.push(() => {
        clearTimeout(timer)
        resolve()
      })
    })
    return this.adapters
  }

  /** The frames of the page, as URLs (for reports). */
  frameUrls(): string[] {
    return this.page.frames().map((f) => f.url())
  }

  /**
   * Posts `events` through every adapter frame (each posts those of its type, as the platform's
   * adapter does) and waits until every frame handled them and the page received every posted one.
   */
  async deliver(events: readonly AdapterEvent[]): Promise<{ readonly posted: number }> {
    if (this.adapters.length === 0) throw new Error('the page loaded no adapter iframe')
    for (const event of events) {
      const kind = kindOfEvent(event.payload)
      if (kind !== undefined && !this.sessionKinds.has(event.sessionId))
        this.sessionKinds.set(event.sessionId, kind)
    }
    const at = '2026-01-15T15:00:00.000Z'
    const body = `retry: 10\n\n${events
      .map((event, i) => {
        const type = String(field(event.payload, 'type'))
        const surface = type.startsWith('Task_VA_') ? 'vta' : 'adapter'
        const message = {
          at,
          surface,
          contract: `${surface}.${type}`,
          sessionId: event.sessionId,
          key: `${event.sessionId}:${surface}:${i}`,
          payload: event.payload,
        }
        return `event: ${surface}\nid: ${message.key}\ndata: ${JSON.stringify(message)}\n\n`
      })
      .join('')}`
    for (const adapter of this.adapters) {
      adapter.delivered += events.length
      if (adapter.waiting) adapter.waiting(body)
      else adapter.queue.push(body)
    }
    let posted = 0
    for (const adapter of this.adapters) {
      await adapter.frame.waitForFunction(
        (n: number) => {
          const counts = document.getElementById('counts')?.textContent ?? ''
          const skipped = /(\d+) not posted/.exec(counts)
          const postedHere = Number(document.documentElement.dataset['posted'] ?? '0')
          return postedHere + (skipped ? Number(skipped[1]) : 0) >= n
        },
        adapter.delivered,
        { timeout: this.options.timeoutMs },
      )
      posted += Number(
        await adapter.frame.evaluate(() => document.documentElement.dataset['posted'] ?? '0'),
      )
    }
    await this.page.waitForFunction(
      (n: number) =>
        ((window as unknown as { __ccaiContract?: { fromAdapter: number } }).__ccaiContract
          ?.fromAdapter ?? 0) >= n,
      posted,
      { timeout: this.options.timeoutMs },
    )
    await this.settle()
    return { posted }
  }

  /** Two task turns in the page, for handlers that defer their work (`setTimeout(…, 0)`, promises). */
  async settle(): Promise<void> {
    for (let turn = 0; turn < 2; turn += 1)
      await this.page.evaluate(() => new Promise<void>((resolve) => setTimeout(resolve, 0)))
  }

  /** What the top window's init script recorded. */
  async observed(): Promise<Observed> {
    return this.page.evaluate(() => {
      const state = (window as unknown as { __ccaiContract?: Observed }).__ccaiContract
      return {
        fromAdapter: state?.fromAdapter ?? 0,
        errors: [...(state?.errors ?? [])],
        messages: [...(state?.messages ?? [])],
      }
    })
  }

  /** Whether the page's renderer crashed. */
  get hasCrashed(): boolean {
    return this.crashed
  }

  /**
   * Resolves with the first request to a URL starting with `prefix` (made so far or from now on),
   * or undefined after `timeoutMs` (default: the page's `timeoutMs`).
   */
  waitForRecordRequest(
    prefix: string,
    timeoutMs: number = this.options.timeoutMs,
  ): Promise<string | undefined> {
    const seen = this.recordRequests.find((u) => u.startsWith(prefix))
    if (seen !== undefined) return Promise.resolve(seen)
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        resolve(undefined)
      }, timeoutMs)
      this.listeners.push((url) => {
        if (!url.startsWith(prefix)) return
        clearTimeout(timer)
        resolve(url)
      })
    })
  }

  /**
   * Resolves once the page acted on something: a request to the intruder origin (other than its
   * frame) or a window opened in the context. Never rejects; stays pending while nothing happens.
   */
  whenActedOnIntruder(): Promise<void> {
    if (this.intruderRequests.length > 0 || this.context.pages().length > 1)
      return Promise.resolve()
    return new Promise((resolve) => {
      this.intruderListeners.push(resolve)
    })
  }

  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    // Streams still waiting get "no content", so EventSource stops.
    for (const adapter of this.adapters) adapter.waiting?.('')
    await this.context.close().catch(() => {
      // Already gone with the browser.
    })
  }
}

function safeFrame(request: PwRequest): Frame | undefined {
  try {
    return request.frame()
  } catch {
    return undefined
  }
}

/** A simulator app for the adapter page (manual clock, nothing started, nothing sent). */
export function adapterSimulator(): SimulatorApp {
  return createSimulatorApp({
    config: { clock: { mode: 'manual' }, email: { enabled: false }, storage: { enabled: false } },
  })
}
