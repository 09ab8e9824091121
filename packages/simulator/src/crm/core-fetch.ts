import {
  checkLengthHeader,
  checkTextLength,
  CRM_BODY_LIMITS,
  plainText,
} from '../http/body-limits.js'
import { fieldsFromForm, fieldsFromText, formBodyData } from './mock-crm/body.js'
import type { CrmAnswer } from './mock-crm/core.js'
import type { MockCrmCore } from './mock-crm/dispatch.js'
import { formOf } from './local-request.js'

/*
 * The sessions' requests to the built-in mock CRM, answered by its core (mock-crm/dispatch.ts)
 * without Hono: no routing through the app, no Request or Response, the body read from what the
 * client gave (its JSON text or its form). About three quarters of a session's CPU went to these
 * requests through `app.fetch` (issue 9, 18). What the core does not answer exactly as the app
 * would (a fault rule set, a form-encoded or unusual body, a path it does not route) goes to the
 * app as before: `coreFetch` answers undefined.
 */

/** Path characters that need no decoding and hold no dot segments (as the node fast path's). */
const PLAIN_PATH = /^[A-Za-z0-9_~/-]*$/

/**
 * The core's answer to an in-process request for `url` under `mount` (`http://ccai-sim.internal/crm`),
 * or undefined when the app must answer it.
 */
export function coreFetch(
  core: MockCrmCore,
  request: { readonly mount: string; readonly url: string; readonly init: RequestInit },
): CrmAnswer | Promise<CrmAnswer> | undefined {
  const { init } = request
  // The app's stand-in reads headers through a Headers object too (same joining and trimming).
  const headers = new Headers(init.headers)
  return coreAnswer(core, {
    mount: request.mount,
    url: request.url,
    method: (init.method ?? 'GET').toUpperCase(),
    header: (name) => headers.get(name) ?? undefined,
    body: init.body ?? undefined,
  })
}

/** A request as `coreAnswer` takes it: headers read through `header` (a `Headers#get`'s answers). */
export interface CoreFetchRequest {
  readonly mount: string
  readonly url: string
  /** Upper case. */
  readonly method: string
  /** A header by lower-case name, every value of it joined by `, ` (`Headers#get`), or undefined. */
  readonly header: (name: string) => string | undefined
  /** The body as the client gives `fetch` (JSON text, a `localMultipart`), or undefined. */
  readonly body: unknown
}

/**
 * `coreFetch` for a request whose headers the caller reads without a `Headers` object (the CRM
 * client's in-process path, which has them as a record): the same answer, or undefined.
 */
export function coreAnswer(
  core: MockCrmCore,
  request: CoreFetchRequest,
): CrmAnswer | Promise<CrmAnswer> | undefined {
  return coreAnswerAt(core, request.mount, request)
}

/** `coreAnswer` for a request given without its mount (no copy of the request to add it). */
export function coreAnswerAt(
  core: MockCrmCore,
  mount: string,
  request: Omit<CoreFetchRequest, 'mount'>,
): CrmAnswer | Promise<CrmAnswer> | undefined {
  const { url, method, header, body } = request
  if (!core.ready || !url.startsWith(mount) || url.charCodeAt(mount.length) !== 47 /* / */)
    return undefined
  if (url.includes('#')) return undefined
  const q = url.indexOf('?')
  const path = url.slice(mount.length, q === -1 ? undefined : q)
  if (!PLAIN_PATH.test(path)) return undefined
  // Matched once: the core answers with this match (a path with an id would be split again).
  const match = core.match(method, path)
  if (match === undefined) return undefined
  const route = match.route
  let readBody: (() => ReturnType<typeof fieldsFromText>) | undefined
  if (route.body) {
    const type = (header('content-type') ?? '').toLowerCase()
    const formType =
      type.startsWith('multipart/form-data') || type.startsWith('application/x-www-form-urlencoded')
    const form = formOf(body)
    if (body === undefined && !formType) {
      readBody = () => fieldsFromText('')
    } else if (typeof body === 'string' && !formType && plainText(body)) {
      readBody = () => {
        checkLengthHeader(header('content-length'), CRM_BODY_LIMITS)
        checkTextLength(body, CRM_BODY_LIMITS)
        return fieldsFromText(body)
      }
    } else if (form !== undefined && (type === '' || type.startsWith('multipart/form-data'))) {
      readBody = () => {
        checkLengthHeader(header('content-length'), CRM_BODY_LIMITS)
        return fieldsFromForm(formBodyData(form))
      }
    } else {
      return undefined
    }
  } else if (body !== undefined) {
    return undefined
  }
  return core.dispatch({ method, path, url, header, readBody, match })
}

/** A core answer as the `Response` the client reads (status, headers, text; no stream unless asked). */
export function answerResponse(answer: CrmAnswer): Response {
  const { status, body } = answer
  let real: Response | undefined
  const response = (): Response =>
    (real ??= new Response(body, { status, headers: answer.headers }))
  const standIn = {
    status,
    statusText: '',
    ok: status >= 200 && status <= 299,
    headers: new Headers(answer.headers),
    type: 'default',
    url: '',
    redirected: false,
    get body(): ReadableStream<Uint8Array> | null {
      return response().body
    },
    bodyUsed: false,
    text: (): Promise<string> => Promise.resolve(body),
    json: (): Promise<unknown> => Promise.resolve().then(() => JSON.parse(body) as unknown),
    arrayBuffer: (): Promise<ArrayBuffer> => response().arrayBuffer(),
    blob: (): Promise<Blob> => response().blob(),
    formData: (): Promise<FormData> => response().formData(),
    clone: (): Response => response().clone(),
  }
  return standIn as unknown as Response
}
