import { hashSeed } from '@ccai-sim/fixtures'
import type { Browser } from 'playwright-core'
import { runSuite } from '../core/runner.js'
import type {
  ClauseDefinition,
  ClauseResult,
  ClauseTools,
  SuiteDefinition,
  SuiteResult,
} from '../core/types.js'
import { ContractTestsError } from '../errors.js'
import {
  adapterAgentAssistDeliveries,
  adapterAgentDeliveries,
  adapterAlternatesDeliveries,
  adapterCallDeliveries,
  adapterChatDeliveries,
  adapterCobrowseDeliveries,
  adapterDuplicateDeliveries,
  adapterEndChatNullsDeliveries,
  adapterTaskVaDeliveries,
  adapterUnknownKeysDeliveries,
} from '../receiver/variants.js'
import type { WebhookDelivery } from '../receiver/delivery.js'
import {
  adapterSimulator,
  launchChromium,
  PageBrowser,
  type AdapterEvent,
  type PageError,
} from './page-browser.js'

/*
 * The CRM page suite: opens the user's CRM page in real Chromium with the simulator's adapter page
 * answering the configured adapter origin, drives sessions' events through the adapter iframe(s) the
 * page loads, and checks the page clause by clause (seed 000, Agent adapters: "the adapter posts
 * each event to the parent window"; Background screen pop › CRM record pop; the listener example
 * that checks `event.origin`). Each clause opens the page afresh in its own browser context.
 *
 * Decisions where the documents are silent:
 * - "Survives" means: no uncaught error or unhandled rejection in the page's top window and no
 *   renderer crash while the events are handled (the adapter's own frame is the simulator's, not
 *   the page's, and is not judged).
 * - The security clause posts, from a frame of another origin whose host begins with the adapter's
 *   host (`acme.ccaiplatform.com.intruder.invalid`, so `includes`/`startsWith` checks are caught),
 *   a `CRM_Record_Pop` (as a JSON string and as an object) and a `New_Call`; the page must not
 *   request the record it names. Other effects of a forged event are not observable from outside.
 * - A record pop counts as handled when the record URL is requested from the page's browser
 *   context: the page navigating to it, opening it in a window, or loading it in a frame.
 */

/** What the page clauses work with. */
export interface PageSuiteContext {
  readonly url: string
  readonly adapterOrigin: string
  /** Record pops name URLs under this prefix (routed in the browser, never sent). */
  readonly recordPrefix: string
  readonly intruderOrigin: string
  readonly seed: number
  readonly timeoutMs: number
  /** How long a clause waits for the first adapter iframe once the page loaded (ms). */
  readonly adapterTimeoutMs: number
  /** How long PAGE-007 waits for the record request once the page handled the pop (ms). */
  readonly recordTimeoutMs: number
  /**
   * Set once a page loaded no adapter iframe within the timeout: the clauses after it are blocked
   * by PAGE-001 at once instead of each waiting the whole timeout again.
   */
  adapterMissing: boolean
  /**
   * Why the page itself could not be loaded (refused, timed out…), once a clause tried: the clauses
   * after it are blocked by PAGE-001 at once instead of each loading it, and waiting, again.
   */
  pageNotLoaded?: string
  /** Opens the page afresh (a new browser context); close it when done. */
  open(): Promise<PageBrowser>
}

/** A user's own expectation about their page: a clause run like the suite's own. */
export interface PageExpectation {
  /** `MY-001`: letters, a dash, digits. */
  readonly id: string
  readonly title: string
  readonly rationale?: string
  readonly run: (page: PageBrowser, tools: ClauseTools, context: PageSuiteContext) => Promise<void>
}

type Tools = ClauseTools
type Context = PageSuiteContext

/**
 * Opens the page and runs `body` with it. A page that does not load fails the clause with the
 * first line of the browser's reason (Playwright's call log after it is for debugging Playwright);
 * the clauses after that one are blocked by PAGE-001.
 */
async function withPage<T>(
  context: Context,
  tools: Tools,
  body: (page: PageBrowser) => Promise<T>,
): Promise<T> {
  const expected = `the page to load (its load event within ${context.timeoutMs} ms)`
  if (context.pageNotLoaded !== undefined)
    tools.block('PAGE-001', {
      message: 'the page did not load when an earlier clause opened it',
      expected,
      actual: context.pageNotLoaded,
    })
  let page: PageBrowser
  try {
    page = await context.open()
  } catch (error) {
    const reason = (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? ''
    context.pageNotLoaded = reason
    tools.fail({ message: `the page did not load: ${reason}`, expected, actual: reason })
  }
  try {
    return await body(page)
  } finally {
    await page.close()
  }
}

/** The PAGE-001 block, for a clause that needs the adapter frames the page did not load. */
function blockOnAdapter(tools: Tools, context: Context, actual: string): never {
  context.adapterMissing = true
  return tools.block('PAGE-001', {
    message: 'the page loaded no adapter iframe to drive events through',
    expected: 'an iframe at the adapter origin /agent/?type=call|chat&from=custom',
    actual,
  })
}

/**
 * Opens the page and runs `body` once its adapter frames are there; otherwise the clause is blocked
 * by PAGE-001. Once a clause saw no adapter, the later ones are blocked before opening the page:
 * waiting the whole timeout again (and loading the page for it) would tell nothing new.
 */
async function withAdapterPage(
  context: Context,
  tools: Tools,
  body: (page: PageBrowser) => Promise<void>,
): Promise<void> {
  if (context.adapterMissing) {
    blockOnAdapter(
      tools,
      context,
      `no adapter iframe within ${context.adapterTimeoutMs} ms when an earlier clause opened the page`,
    )
  }
  await withPage(context, tools, async (page) => {
    if (!(await page.adapterLoaded()))
      blockOnAdapter(tools, context, `frames: ${page.frameUrls().join(', ') || '(none)'}`)
    await body(page)
  })
}

function eventsOf(deliveries: readonly WebhookDelivery[]): AdapterEvent[] {
  return deliveries.map((d) => ({ sessionId: d.sessionId, payload: d.payload }))
}

function typeOf(payload: unknown): string {
  return payload !== null && typeof payload === 'object'
    ? String((payload as Record<string, unknown>)['type'])
    : typeof payload
}

function errorLines(errors: readonly PageError[]): string {
  return errors
    .map((e) => `${e.message}${e.afterEvent === undefined ? '' : ` (after ${e.afterEvent})`}`)
    .join('\n')
}

/** Delivers the events and fails unless the page handled them all without an uncaught error. */
async function survives(
  context: Context,
  tools: Tools,
  input: {
    readonly events: readonly AdapterEvent[]
    readonly needs?: 'call' | 'chat'
    readonly what: string
  },
): Promise<void> {
  await withAdapterPage(context, tools, async (page) => {
    if (input.needs !== undefined && !page.adapters.some((a) => a.type === input.needs))
      tools.skip(`the page embeds no ${input.needs} adapter (?type=${input.needs})`)
    tools.record({
      request: {
        method: 'POST',
        url: `${context.adapterOrigin}/agent/ (postMessage to the page)`,
        headers: {},
        body: `${input.events.length} events: ${[...new Set(input.events.map((e) => typeOf(e.payload)))].join(', ')}`,
      },
      durationMs: 0,
    })
    let delivered: { posted: number } | undefined
    let stuck: string | undefined
    try {
      delivered = await page.deliver(input.events)
    } catch (error) {
      stuck = error instanceof Error ? error.message.split('\n')[0] : String(error)
    }
    const observed = page.hasCrashed ? undefined : await page.observed().catch(() => undefined)
    tools.check(!page.hasCrashed && observed !== undefined, {
      message: `the page crashed while handling ${input.what}`,
      expected: 'the page alive after every event',
      actual: page.hasCrashed ? 'the renderer crashed' : 'the page could not be read any more',
    })
    tools.check(observed.errors.length === 0, {
      message: `the page threw while handling ${input.what}`,
      expected: 'no uncaught error or unhandled rejection',
      actual: errorLines(observed.errors),
    })
    tools.check(delivered !== undefined, {
      message: `the page did not take every event of ${input.what}`,
      expected: 'every posted event received by the page window',
      actual: stuck ?? 'unknown',
    })
  })
}

const PAGE_001: ClauseDefinition<Context> = {
  id: 'PAGE-001',
  title: 'the page loads the adapter iframe from the configured origin',
  rationale:
    'Seed 000 (Agent adapters): the CRM page embeds the adapter as an iframe from the tenant at /agent/?type=call|chat&from=custom; from any other origin or path no events arrive.',
  async run(context: Context, tools: Tools): Promise<void> {
    await withPage(context, tools, async (page) => {
      const found = await page.adapterLoaded()
      if (!found) context.adapterMissing = true
      const frames = page.frameUrls()
      tools.record({
        request: { method: 'GET', url: context.url, headers: {} },
        response: { status: 200, headers: {}, body: `frames:\n${frames.join('\n')}` },
        durationMs: 0,
      })
      tools.check(found, {
        message: `the page loaded no adapter iframe from ${context.adapterOrigin}`,
        expected: `an iframe at ${context.adapterOrigin}/agent/?type=call|chat&from=custom`,
        actual:
          page.unknownAdapterRequests.length > 0
            ? `requests to the adapter origin the platform does not serve: ${page.unknownAdapterRequests.join(', ')}`
            : `frames: ${frames.join(', ') || '(none)'}`,
      })
    })
  },
}

const PAGE_002: ClauseDefinition<Context> = {
  id: 'PAGE-002',
  title: 'the page survives every call and agent event',
  rationale:
    'Seed 000 (Agent adapters, event list): New_Call, Agent_Joined_Call, Transfer_Call, Call_Redaction_*, Party_Added, End_Call and Agent_Login/Logout arrive as the call goes; a handler that throws stops the page from following the session.',
  async run(context: Context, tools: Tools): Promise<void> {
    await survives(context, tools, {
      events: eventsOf([
        ...adapterAgentDeliveries(context.seed),
        ...adapterCallDeliveries(context.seed),
      ]),
      needs: 'call',
      what: 'call and agent events',
    })
  },
}

const PAGE_003: ClauseDefinition<Context> = {
  id: 'PAGE-003',
  title: 'the page survives every chat and co-browse event',
  rationale:
    'Seed 000 (Agent adapters, event list): New_Chat, Active_Chat, messages, transfers, End_Chat, Dismissed_Chat and the co-browse events arrive as the chat goes.',
  async run(context: Context, tools: Tools): Promise<void> {
    await survives(context, tools, {
      events: eventsOf([
        ...adapterChatDeliveries(context.seed),
        ...adapterCobrowseDeliveries(context.seed),
      ]),
      needs: 'chat',
      what: 'chat and co-browse events',
    })
  },
}

const PAGE_004: ClauseDefinition<Context> = {
  id: 'PAGE-004',
  title: 'the page survives the virtual task assistant and agent assist events',
  rationale:
    'Seed 000 (Virtual task assistant events: Task_VA_Joined, Task_VA_Variables_Received, Task_VA_Left; Agent_Assist_Started with string ids and a time of day): they reach the same listener.',
  async run(context: Context, tools: Tools): Promise<void> {
    await survives(context, tools, {
      events: eventsOf([
        ...adapterTaskVaDeliveries(context.seed),
        ...adapterAgentAssistDeliveries(context.seed),
      ]),
      what: 'VTA and agent assist events',
    })
  },
}

const PAGE_005: ClauseDefinition<Context> = {
  id: 'PAGE-005',
  title:
    'the page survives the documented variants (nulls, undocumented keys, alternate spellings, repeats)',
  rationale:
    'Seed 000 and the golden examples: End_Chat carries explicit nulls, events may carry keys the documents do not list, the documents spell some keys two ways, and an event may arrive twice.',
  async run(context: Context, tools: Tools): Promise<void> {
    await survives(context, tools, {
      events: eventsOf([
        ...adapterEndChatNullsDeliveries(context.seed),
        ...adapterUnknownKeysDeliveries(context.seed),
        ...adapterAlternatesDeliveries(),
        ...adapterDuplicateDeliveries(context.seed),
      ]),
      what: 'the documented variants',
    })
  },
}

const PAGE_006: ClauseDefinition<Context> = {
  id: 'PAGE-006',
  title: 'the page ignores postMessage from any origin but the adapter’s',
  rationale:
    'Seed 000 (Agent adapters, the listener example checks event.origin) and the HTML standard (postMessage: receivers must check the origin): any page or frame can post to the CRM window, so a record pop from another origin is a phishing link.',
  async run(context: Context, tools: Tools): Promise<void> {
    await withPage(context, tools, async (page) => {
      const frameUrl = `${context.intruderOrigin}/frame.html`
      await page.page.evaluate((src: string) => {
        const frame = document.createElement('iframe')
        frame.src = src
        frame.title = 'ccai-contract intruder'
        frame.style.display = 'none'
        document.body.appendChild(frame)
      }, frameUrl)
      // The intruder posts 4 messages; wait until the page window received them all, or until the
      // page acted on one: a page that navigates to the record it names never counts the rest
      // (the new document starts at 0), and its verdict is known.
      const received = page.page.waitForFunction(
        (origin: string) =>
          (
            (
              window as unknown as {
                __ccaiContract?: { messages: { origin: string }[] }
              }
            ).__ccaiContract?.messages ?? []
          ).filter((m) => m.origin === origin).length >= 4,
        context.intruderOrigin,
      )
      // Once the page acted, the wait is abandoned and rejects when the page closes.
      received.catch(() => undefined)
      const acted = await Promise.race([
        received.then(() => false),
        page.whenActedOnIntruder().then(() => true),
      ])
      // A handler that defers its work may act now; navigating away then ends the page's
      // execution context, which is the very thing the check below looks at.
      if (!acted) await page.settle().catch(() => undefined)
      tools.record({
        request: {
          method: 'POST',
          url: `${frameUrl} (postMessage to the page)`,
          headers: {},
          body: `CRM_Record_Pop with recordUrl ${context.intruderOrigin}/phish/record, New_Call (each as a JSON string and as an object)`,
        },
        durationMs: 0,
      })
      const popups = page.context.pages().length - 1
      tools.check(page.intruderRequests.length === 0 && popups === 0, {
        message: `the page acted on a message from ${context.intruderOrigin}`,
        expected: `messages from origins other than ${context.adapterOrigin} ignored: no navigation or window to the record they name`,
        actual:
          page.intruderRequests.length > 0
            ? `requested ${page.intruderRequests.join(', ')}`
            : `${popups} window(s) opened`,
      })
    })
  },
}

const PAGE_007: ClauseDefinition<Context> = {
  id: 'PAGE-007',
  title: 'the page opens the record of a CRM_Record_Pop',
  rationale:
    'Seed 000 (Background screen pop › CRM record pop): the adapter posts CRM_Record_Pop with data.recordUrl (camelCase) and the CRM page navigates to it or opens it.',
  async run(context: Context, tools: Tools): Promise<void> {
    await withAdapterPage(context, tools, async (page) => {
      const id = hashSeed(context.seed, 'PAGE-007') % 1_000_000
      const recordUrl = `${context.recordPrefix}${id}`
      const event = { type: 'CRM_Record_Pop', data: { recordUrl } }
      tools.record({
        request: {
          method: 'POST',
          url: `${context.adapterOrigin}/agent/ (postMessage to the page)`,
          headers: {},
          body: JSON.stringify(event),
        },
        durationMs: 0,
      })
      const sessionId = 700_000 + (id % 1000)
      // Delivery may end with the page navigating away: the request is what counts. One made
      // while the event was delivered is already recorded; the wait only starts once the page
      // handled the event.
      await page.deliver([{ sessionId, payload: event }]).catch(() => undefined)
      const url = await page.waitForRecordRequest(recordUrl, context.recordTimeoutMs)
      tools.check(url !== undefined, {
        message: 'the page did not open the popped record',
        expected: `a navigation, window or frame to ${recordUrl} within ${context.recordTimeoutMs} ms of the page handling the event`,
        actual:
          page.recordRequests.length > 0
            ? `other record URLs: ${page.recordRequests.join(', ')}`
            : `no request to ${context.recordPrefix}…; the page is at ${page.page.url()}`,
      })
    })
  },
}

/** The CRM page suite's clauses, `PAGE-001` to `PAGE-007`. */
export const PAGE_SUITE: SuiteDefinition<PageSuiteContext> = {
  name: 'page',
  clauses: [PAGE_001, PAGE_002, PAGE_003, PAGE_004, PAGE_005, PAGE_006, PAGE_007],
}

/** What `runPageSuite` takes. */
export interface RunPageSuiteOptions {
  /** The CRM page to check (http, https or file). */
  readonly url: string
  /** The origin the page loads the adapter iframe from (your tenant's); answered by the simulator. */
  readonly adapterOrigin: string
  /** Record pops name URLs under this prefix; default `<page origin>/ccai-contract/records/`. */
  readonly recordPrefix?: string | undefined
  /** Seeds the generated sessions; default 1. */
  readonly seed?: number | undefined
  /** How long to wait for the page, a frame or a record (ms); default 15 000. */
  readonly timeoutMs?: number | undefined
  /**
   * How long to wait for the first adapter iframe once the page fired `load` (ms); default
   * `timeoutMs`. A page that sets its iframes' `src` while it loads has them before `load` (an
   * iframe delays its parent's load event), so for such a page only a missing adapter waits this out.
   */
  readonly adapterTimeoutMs?: number | undefined
  /**
   * How long `PAGE-007` waits for the record request once the page handled the `CRM_Record_Pop`
   * (received it and ran two more task turns), in ms; default `timeoutMs`. A page that opens the
   * record in its message handler has requested it by then; one that first looks something up
   * (a fetch, a timer) needs the time that takes.
   */
  readonly recordTimeoutMs?: number | undefined
  /** Your own expectations, run after the suite's clauses. */
  readonly expectations?: readonly PageExpectation[] | undefined
  /** Only these clause ids. */
  readonly only?: readonly string[] | RegExp | undefined
  /** A browser to use (left open); default: Chromium at /usr/bin/chromium, closed at the end. */
  readonly browser?: Browser | undefined
  /** Chromium's path when the suite starts it. */
  readonly chromiumPath?: string | undefined
  readonly onClause?: ((result: ClauseResult) => void) | undefined
}

function checkedOrigin(flag: string, value: string): string {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:'))
    throw new ContractTestsError(
      'invalid_options',
      `${flag}: expected an http(s) origin like https://acme.uc1.ccaiplatform.com, received "${value}"`,
    )
  return url.origin
}

function checkedPageUrl(value: string): URL {
  let url: URL | undefined
  try {
    url = new URL(value)
  } catch {
    url = undefined
  }
  if (url === undefined || !['http:', 'https:', 'file:'].includes(url.protocol))
    throw new ContractTestsError(
      'invalid_options',
      `url: expected the CRM page's http(s) or file URL, received "${value}"`,
    )
  return url
}

function checkedMs(flag: string, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0)
    throw new ContractTestsError(
      'invalid_options',
      `${flag}: expected milliseconds (an integer ≥ 0), received ${value}`,
    )
  return value
}

/** The clause id pattern for user expectations. */
const EXPECTATION_ID = /^[A-Z][A-Z0-9]*-\d{3,}$/

/**
 * Runs the CRM page suite: the page in real Chromium, the simulator's adapter page at
 * `adapterOrigin`, `PAGE-001` to `PAGE-007`, then the user's `expectations`. Throws
 * `ContractTestsError` for options it cannot run with (or when Chromium cannot start).
 *
 * @example
 * const result = await runPageSuite({ url: 'http://localhost:3000/crm.html', adapterOrigin: 'https://acme.uc1.ccaiplatform.com' })
 */
export async function runPageSuite(options: RunPageSuiteOptions): Promise<SuiteResult> {
  const pageUrl = checkedPageUrl(options.url)
  const adapterOrigin = checkedOrigin('adapterOrigin', options.adapterOrigin)
  const seed = options.seed ?? 1
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new ContractTestsError(
      'invalid_options',
      `seed: expected an integer ≥ 0, received ${seed}`,
    )
  const timeoutMs = options.timeoutMs ?? 15_000
  const adapterTimeoutMs = checkedMs('adapterTimeoutMs', options.adapterTimeoutMs ?? timeoutMs)
  const recordTimeoutMs = checkedMs('recordTimeoutMs', options.recordTimeoutMs ?? timeoutMs)
  const origin = pageUrl.protocol === 'file:' ? 'http://crm-page.invalid' : pageUrl.origin
  const recordPrefix = options.recordPrefix ?? `${origin}/ccai-contract/records/`
  const adapterHost = new URL(adapterOrigin).host
  const intruderOrigin = `https://${adapterHost.replace(/:\d+$/, '')}.intruder.invalid`
  for (const expectation of options.expectations ?? []) {
    if (!EXPECTATION_ID.test(expectation.id) || expectation.id.startsWith('PAGE-'))
      throw new ContractTestsError(
        'invalid_options',
        `expectations: id "${expectation.id}" must look like MY-001 and not start with PAGE-`,
      )
  }
  const browser = options.browser ?? (await launchChromium(options.chromiumPath))
  const simulator = adapterSimulator()
  const context: PageSuiteContext = {
    url: pageUrl.href,
    adapterOrigin,
    recordPrefix,
    intruderOrigin,
    seed,
    timeoutMs,
    adapterTimeoutMs,
    recordTimeoutMs,
    adapterMissing: false,
    open: () =>
      PageBrowser.open({
        browser,
        url: pageUrl.href,
        adapterOrigin,
        recordPrefix,
        intruderOrigin,
        timeoutMs,
        adapterTimeoutMs,
        simulator,
      }),
  }
  const own: ClauseDefinition<Context>[] = (options.expectations ?? []).map((e) => ({
    id: e.id,
    title: e.title,
    rationale: e.rationale ?? 'Your own expectation of your CRM page.',
    run: (ctx, tools) => withAdapterPage(ctx, tools, (page) => e.run(page, tools, ctx)),
  }))
  try {
    return await runSuite({ name: 'page', clauses: [...PAGE_SUITE.clauses, ...own] }, context, {
      target: pageUrl.href,
      seed,
      ...(options.only === undefined ? {} : { only: options.only }),
      ...(options.onClause === undefined ? {} : { onClause: options.onClause }),
    })
  } finally {
    await simulator.close()
    if (options.browser === undefined) await browser.close()
  }
}
