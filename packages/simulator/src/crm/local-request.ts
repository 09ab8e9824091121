import type { MiddlewareHandler } from 'hono'

/*
 * The sessions' requests to the built-in mock CRM never leave the process: the app's own routes
 * answer them (`app.fetch`). A WHATWG `Request` for each costs more than the mock CRM's work —
 * the multipart body serialized into a stream only to be parsed back, the JSON body streamed —
 * so the app hands its routes this stand-in instead: the same URL, method and headers, the body
 * as the client gave it (text, or the FormData itself). The mock CRM's handlers are the same;
 * only the bytes in between are skipped.
 */

/** The FormData of each stand-in, for `localForms` to give Hono's body parser. */
const forms = new WeakMap<object, FormData>()

/** A stream of one chunk, as much of `ReadableStream` as a reader of the body uses. */
function oneChunk(bytes: Uint8Array): ReadableStream<Uint8Array> {
  const reader = {
    done: false,
    read(): Promise<ReadableStreamReadResult<Uint8Array>> {
      if (this.done) return Promise.resolve({ done: true, value: undefined })
      this.done = true
      return Promise.resolve({ done: false, value: bytes })
    },
    cancel(): Promise<void> {
      this.done = true
      return Promise.resolve()
    },
    releaseLock(): void {},
  }
  return { getReader: () => reader, locked: false } as unknown as ReadableStream<Uint8Array>
}

/**
 * A `Request` stand-in for an in-process request to the app's own routes, or `undefined` when its
 * body is of a kind the stand-in does not carry (then a real `Request` is made).
 */
export function localRequest(url: string, init: RequestInit): Request | undefined {
  const body = init.body ?? undefined
  if (body !== undefined && typeof body !== 'string' && !(body instanceof FormData))
    return undefined
  const method = (init.method ?? 'GET').toUpperCase()
  const headers = new Headers(init.headers)
  const text = typeof body === 'string' ? body : ''
  let bytes: Uint8Array | undefined
  const bytesOf = (): Uint8Array => (bytes ??= Buffer.from(text, 'utf8'))
  if (body instanceof FormData && !headers.has('content-type')) {
    // The boundary is never used: the parser is handed the FormData itself (`localForms`).
    headers.set('content-type', 'multipart/form-data; boundary=ccai-sim-local')
  } else if (typeof body === 'string' && !headers.has('content-type')) {
    headers.set('content-type', 'text/plain;charset=UTF-8')
  }
  const real = (): Request => new Request(url, init)
  const request = {
    url,
    method,
    headers,
    get body(): ReadableStream<Uint8Array> | null {
      if (body === undefined) return null
      if (typeof body === 'string') return oneChunk(bytesOf())
      return real().body
    },
    bodyUsed: false,
    signal: undefined,
    text: (): Promise<string> =>
      typeof body === 'string' || body === undefined ? Promise.resolve(text) : real().text(),
    json: (): Promise<unknown> =>
      typeof body === 'string'
        ? Promise.resolve().then(() => JSON.parse(text) as unknown)
        : real().json(),
    arrayBuffer: (): Promise<ArrayBuffer> =>
      typeof body === 'string' || body === undefined
        ? Promise.resolve(new Uint8Array(bytesOf()).buffer)
        : real().arrayBuffer(),
    blob: (): Promise<Blob> => real().blob(),
    formData: (): Promise<FormData> =>
      body instanceof FormData ? Promise.resolve(body) : real().formData(),
    clone: (): Request => real(),
  }
  if (body instanceof FormData) forms.set(request, body)
  return request as unknown as Request
}

/**
 * Middleware for the routes that `localRequest` stand-ins reach: a multipart stand-in's body is
 * its FormData, given to Hono's parser as already parsed.
 */
export const localForms: MiddlewareHandler = async (c, next) => {
  const form = forms.get(c.req.raw)
  // Hono keeps promises in its body cache (typed as the values).
  if (form !== undefined) c.req.bodyCache.formData = Promise.resolve(form) as unknown as FormData
  await next()
}
