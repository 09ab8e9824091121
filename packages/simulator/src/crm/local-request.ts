import type { MiddlewareHandler } from 'hono'
import { uploadFileByteLength } from './request-builder.js'
import type { CrmUploadFile, MultipartField } from './types.js'

/*
 * The sessions' requests to the built-in mock CRM never leave the process: the app's own routes
 * answer them (`app.fetch`). A WHATWG `Request` for each costs more than the mock CRM's work —
 * the multipart body serialized into a stream only to be parsed back, the JSON body streamed —
 * so the app hands its routes this stand-in instead: the same URL, method and headers, the body
 * as the client gave it (text, or the FormData itself). The mock CRM's handlers are the same;
 * only the bytes in between are skipped.
 */

/**
 * A file part of a `LocalMultipart`: what the mock CRM reads of a multipart file (a `File`'s),
 * holding the client's file rather than its bytes. A session's recording is made from its seed
 * whenever its bytes are read; the mock CRM keeps the file's producer (`localFileData`) and makes
 * the bytes only when the attachment is downloaded, so an upload costs neither making them nor
 * keeping them.
 */
class LocalFile {
  constructor(
    readonly file: CrmUploadFile,
    readonly name: string,
    readonly type: string,
  ) {}

  get size(): number {
    return uploadFileByteLength(this.file)
  }

  /** The bytes' own buffer when they fill it (the reader copies them into its store), else a copy. */
  arrayBuffer(): Promise<ArrayBuffer> {
    const { bytes } = this.file
    const whole =
      bytes.byteOffset === 0 &&
      bytes.byteLength === bytes.buffer.byteLength &&
      bytes.buffer instanceof ArrayBuffer
    return Promise.resolve(whole ? bytes.buffer : bytes.slice().buffer)
  }
}

/**
 * The bytes of a multipart file part that an in-process request carries (a `localMultipart`'s),
 * without making them: their length, and a function that makes them (the same bytes at every
 * call, which callers must not change). `undefined` for any other part (a real `File`).
 */
export function localFileData(
  part: unknown,
): { readonly size: number; readonly bytes: () => Uint8Array } | undefined {
  if (!(part instanceof LocalFile)) return undefined
  const { file } = part
  return { size: part.size, bytes: () => file.bytes }
}

/**
 * A multipart body as the CRM client's fields, for an in-process request: a `FormData` puts each
 * file in a `Blob` (a copy, read back as another), which for the sessions' recordings cost more
 * than the upload itself. Given to Hono's body parser as parsed form data (`forEach`), and turned
 * into a real `FormData` for any request that leaves the process (`realBody`).
 */
class LocalMultipart {
  constructor(readonly fields: readonly MultipartField[]) {}

  forEach(callback: (value: string | LocalFile, name: string) => void): void {
    for (const field of this.fields) {
      const file = field.file
      callback(
        file === undefined
          ? (field.value ?? '')
          : new LocalFile(file, file.filename, file.contentType),
        field.name,
      )
    }
  }

  toFormData(): FormData {
    const form = new FormData()
    for (const field of this.fields) {
      if (field.file !== undefined) {
        // The Blob copies the bytes.
        const bytes = field.file.bytes as Uint8Array<ArrayBuffer>
        form.append(
          field.name,
          new Blob([bytes], { type: field.file.contentType }),
          field.file.filename,
        )
      } else {
        form.append(field.name, field.value ?? '')
      }
    }
    return form
  }
}

/** The CRM client's multipart body for the app's in-process fetch (see `LocalMultipart`). */
export function localMultipart(fields: readonly MultipartField[]): BodyInit {
  return new LocalMultipart(fields) as unknown as BodyInit
}

/**
 * A request body that is form data as the client gave it (a `localMultipart` or a `FormData`),
 * readable as Hono's parser reads a stand-in's (`forEach`), or undefined.
 */
export function formOf(
  body: unknown,
): { forEach(callback: (value: string | File, name: string) => void): void } | undefined {
  if (body instanceof LocalMultipart)
    return body as unknown as {
      forEach(callback: (value: string | File, name: string) => void): void
    }
  return body instanceof FormData ? body : undefined
}

/** `init` with a `localMultipart` body made a real `FormData`, for `fetch` or a real `Request`. */
export function realBody(init: RequestInit): RequestInit {
  return init.body instanceof LocalMultipart ? { ...init, body: init.body.toFormData() } : init
}

/** The parsed form of each stand-in, for `localForms` to give Hono's body parser. */
const forms = new WeakMap<object, FormData | LocalMultipart>()
/** The text body of each stand-in, for readers that take the text whole (`localBodyText`). */
const texts = new WeakMap<object, string>()
/** The JSON text of each answer a route gave a stand-in through `c.json`, by its Response. */
const answers = new WeakMap<Response, string>()

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
  const body: unknown = init.body ?? undefined
  const form = body instanceof FormData || body instanceof LocalMultipart ? body : undefined
  if (body !== undefined && typeof body !== 'string' && form === undefined) return undefined
  const method = (init.method ?? 'GET').toUpperCase()
  const headers = new Headers(init.headers)
  const text = typeof body === 'string' ? body : ''
  let bytes: Uint8Array | undefined
  const bytesOf = (): Uint8Array => (bytes ??= Buffer.from(text, 'utf8'))
  if (form !== undefined && !headers.has('content-type')) {
    // The boundary is never used: the parser is handed the form itself (`localForms`).
    headers.set('content-type', 'multipart/form-data; boundary=ccai-sim-local')
  } else if (typeof body === 'string' && !headers.has('content-type')) {
    headers.set('content-type', 'text/plain;charset=UTF-8')
  }
  const real = (): Request => new Request(url, realBody(init))
  const formData = (): FormData | undefined =>
    form instanceof LocalMultipart ? form.toFormData() : form
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
    formData: (): Promise<FormData> => {
      const parsed = formData()
      return parsed === undefined ? real().formData() : Promise.resolve(parsed)
    },
    clone: (): Request => real(),
  }
  if (form !== undefined) forms.set(request, form)
  else texts.set(request, text)
  return request as unknown as Request
}

/** The body of a `localRequest` stand-in as text, or `undefined` for anything else. */
export function localBodyText(request: Request): string | undefined {
  return texts.get(request)
}

/**
 * The app's answer to a stand-in, its body readable without a stream: reading a `Response` body
 * goes through undici's stream machinery, which cost the sessions' CRM requests more than the
 * mock CRM's own work. Only an answer made by `c.json` (its text known) is replaced; any other,
 * such as one a fault rebuilt, comes back as it is.
 */
export function localResponse(response: Response): Response {
  const text = answers.get(response)
  if (text === undefined) return response
  const standIn = {
    status: response.status,
    statusText: response.statusText,
    ok: response.ok,
    headers: response.headers,
    type: response.type,
    url: response.url,
    redirected: response.redirected,
    get body(): ReadableStream<Uint8Array> | null {
      return response.body
    },
    bodyUsed: false,
    text: (): Promise<string> => Promise.resolve(text),
    json: (): Promise<unknown> => Promise.resolve().then(() => JSON.parse(text) as unknown),
    arrayBuffer: (): Promise<ArrayBuffer> => response.arrayBuffer(),
    blob: (): Promise<Blob> => response.blob(),
    formData: (): Promise<FormData> => response.formData(),
    clone: (): Response => response.clone(),
  }
  return standIn as unknown as Response
}

/**
 * Keeps the JSON text of an answer a route made for `request` without `c.json` (the mock CRM's
 * core routes), for `localResponse`, when the request is a stand-in.
 */
export function keepLocalAnswer(request: Request, response: Response, text: string): void {
  if (forms.has(request) || texts.has(request)) answers.set(response, text)
}

/**
 * Middleware for the routes that `localRequest` stand-ins reach: a multipart stand-in's body is
 * its FormData, given to Hono's parser as already parsed; a JSON answer keeps its text for
 * `localResponse` (the same Response as Hono's `c.json` makes: same body, status and headers).
 */
export const localForms: MiddlewareHandler = async (c, next) => {
  const raw = c.req.raw
  const form = forms.get(raw)
  // Hono keeps promises in its body cache (typed as the values); its parser only calls `forEach`.
  if (form !== undefined) c.req.bodyCache.formData = Promise.resolve(form) as unknown as FormData
  if (form !== undefined || texts.has(raw)) {
    const json = (
      object: unknown,
      arg?: Parameters<typeof c.body>[1],
      headers?: Record<string, string | string[]>,
    ): Response => {
      const text = JSON.stringify(object)
      // Hono's own `c.json`: the default content type first, the caller's headers over it.
      const response = c.body(text, arg as never, {
        'Content-Type': 'application/json',
        ...headers,
      })
      answers.set(response, text)
      return response
    }
    c.json = json as typeof c.json
  }
  await next()
}
