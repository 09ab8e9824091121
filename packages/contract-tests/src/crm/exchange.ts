import type { CrmExchange, CrmHttpRequest } from '@ccai-sim/simulator'
import type { Exchange } from '../core/types.js'

/*
 * The CRM client's exchanges as the report shows them: auth headers masked (the client already
 * masks what it sent), long strings in JSON bodies shortened (a base64 file is not worth 100 KB of
 * report), multipart bodies summarised field by field, answers truncated to a few KB.
 */

/** Response bodies longer than this are cut in the report. */
export const REPORT_BODY_LIMIT = 4096
const STRING_LIMIT = 500

function abbreviate(value: unknown): unknown {
  if (typeof value === 'string') {
    return value.length <= STRING_LIMIT
      ? value
      : `${value.slice(0, STRING_LIMIT)}…(+${value.length - STRING_LIMIT} chars)`
  }
  if (Array.isArray(value)) return value.map(abbreviate)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, abbreviate(v)]))
  }
  return value
}

/** `8.1 KB`, `512 B`. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`
}

/** A request body as report text: JSON with long strings shortened, multipart field by field. */
export function requestBodyText(request: CrmHttpRequest): string | undefined {
  const body = request.body
  if (body === undefined) return undefined
  if (body.kind === 'json') return JSON.stringify(abbreviate(body.json), null, 2)
  const size = body.fields.reduce(
    (sum, f) => sum + (f.file?.bytes.byteLength ?? new TextEncoder().encode(f.value ?? '').length),
    0,
  )
  const lines = body.fields.map((field) =>
    field.file === undefined
      ? `${field.name}=${String(abbreviate(field.value ?? ''))}`
      : `${field.name}=@${field.file.filename} (${field.file.contentType}, ${field.file.bytes.byteLength} bytes)`,
  )
  return [`<multipart: ${body.fields.length} parts, ${formatSize(size)}>`, ...lines].join('\n')
}

/** A body cut to `REPORT_BODY_LIMIT` characters, saying how long it was. */
export function truncateBody(text: string): string {
  return text.length <= REPORT_BODY_LIMIT
    ? text
    : `${text.slice(0, REPORT_BODY_LIMIT)}…(truncated: ${text.length} chars in all)`
}

/**
 * One CRM client exchange as a report `Exchange`: the method, URL and headers actually sent (secrets
 * masked), the body text, the answer's status, headers and body (truncated), or the error; the
 * duration is the answer's own when there is one, else `measuredMs`.
 */
export function reportExchange(exchange: CrmExchange, measuredMs: number): Exchange {
  const body = requestBodyText(exchange.request)
  const response = exchange.response
  return {
    request: {
      method: exchange.request.method,
      url: exchange.request.url,
      headers: exchange.sentHeaders,
      ...(body === undefined ? {} : { body }),
    },
    ...(response === undefined
      ? {}
      : {
          response: {
            status: response.status,
            headers: response.headers,
            body: truncateBody(response.bodyText),
          },
        }),
    ...(exchange.error === undefined ? {} : { error: exchange.error }),
    durationMs: response?.durationMs ?? measuredMs,
  }
}

/** Whether a content type is a text one (its body can be shown as text). */
export function isTextContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false
  const base = contentType.split(';')[0]?.trim().toLowerCase() ?? ''
  return (
    base.startsWith('text/') ||
    /[/+](json|xml)$/.test(base) ||
    base === 'application/x-www-form-urlencoded'
  )
}

/** A one-line account of an answer for failure details: `HTTP 500 (application/json): {…}`. */
export function describeAnswer(exchange: CrmExchange): string {
  const response = exchange.response
  if (response === undefined) return `no answer: ${exchange.error ?? 'nothing came back'}`
  const type = response.headers['content-type'] ?? 'no content type'
  const text = response.bodyText.replace(/\s+/g, ' ').trim()
  const shown = text.length > 200 ? `${text.slice(0, 200)}…` : text
  return `HTTP ${response.status} (${type})${shown === '' ? ', empty body' : `: ${shown}`}`
}
