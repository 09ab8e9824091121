import type { UploadFileEndpointConfig } from '@ccai-sim/schemas'
import { substituteUrl } from './template.js'
import type { CrmHttpResponse } from './types.js'

/*
 * Reading the CRM's answers (reference §5.1 and §5.3; seed 000, Upload a file endpoint; the
 * error-handling page's `response_data_location` and `custom_id_location`).
 *
 * Decisions where the documents are silent:
 * - Location syntax is the one `DataLocationSchema` chose: dot-separated, numeric segments index
 *   arrays, absent or empty means the root; empty segments (`data..id`, a trailing dot) are skipped.
 * - Without `custom_id_location` the id is read at `id` inside the data location: every example
 *   response of the documents carries it there.
 * - Ids are integers or non-empty strings (`CrmIdSchema`); anything else counts as no id.
 * - "Nothing at the data location" (a find's not-found) is `undefined`, `null`, `[]` or `{}`.
 * - The attachment id and URL locations are read from the response root: the upload endpoint does
 *   not extract from the data location (reference §5.1: only find and create endpoints do).
 */

/** The id field read when an endpoint has no `custom_id_location`. */
export const DEFAULT_ID_LOCATION = 'id'

/**
 * The value at a data location in a JSON document: `data.0.id` is `json.data[0].id`; an empty or
 * absent path is the document itself; a missing step gives `undefined`.
 *
 * @example
 * readLocation({ list: [{ id: 'a1' }] }, 'list.0.id') // 'a1'
 */
export function readLocation(json: unknown, path: string | null | undefined): unknown {
  if (path == null) return json
  let current: unknown = json
  for (const segment of path.split('.')) {
    if (segment === '') continue
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined
      current = current[Number(segment)]
    } else if (current !== null && typeof current === 'object') {
      current = Object.hasOwn(current, segment)
        ? (current as Record<string, unknown>)[segment]
        : undefined
    } else {
      return undefined
    }
    if (current === undefined) return undefined
  }
  return current
}

/** An id as the platform substitutes it into `{ACCOUNT_ID}`/`{RECORD_ID}`, or undefined. */
export function idText(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value)
  if (typeof value === 'string' && value.trim() !== '') return value
  return undefined
}

function isNothing(value: unknown): boolean {
  if (value === undefined || value === null) return true
  if (Array.isArray(value)) return value.length === 0
  return typeof value === 'object' && Object.keys(value).length === 0
}

/** The locations of an endpoint config that `readCrmResult` reads (any endpoint config has them). */
export interface CrmResultLocations {
  readonly response_data_location?: string | null | undefined
  readonly custom_id_location?: string | null | undefined
}

/** What a find or create response yields. */
export interface CrmResult {
  /** The object at `response_data_location` (`undefined` when the body is not JSON or lacks it). */
  readonly data: unknown
  /** Whether there is an object at the data location: false is a find's "not found". */
  readonly found: boolean
  /** The id at `custom_id_location` (default `id`) inside the data, as text. */
  readonly id?: string
  /**
   * An object is at the data location but carries no id where configured: success without the id
   * (reference §5.3), reported as a warning. A create endpoint whose 2xx has nothing at all at the
   * data location is missing its id as well: callers of create endpoints test `id === undefined`.
   */
  readonly missingId?: boolean
}

/**
 * Reads a find or create response: the object at `response_data_location`, and its id at
 * `custom_id_location` (inside that object, default `id`). The status is the caller's business:
 * this reads whatever JSON came back (reference §5.3, error-handling page).
 *
 * @example
 * readCrmResult(response, { method: 'POST', url, response_data_location: 'ticket', custom_id_location: 'id' })
 * // { data: { id: 7, … }, found: true, id: '7' }
 */
export function readCrmResult(
  response: CrmHttpResponse,
  endpointConfig: CrmResultLocations,
): CrmResult {
  const data = readLocation(response.json, endpointConfig.response_data_location)
  const found = !isNothing(data)
  if (!found) return { data, found }
  const idLocation = endpointConfig.custom_id_location
  const id = idText(
    readLocation(data, idLocation == null || idLocation === '' ? DEFAULT_ID_LOCATION : idLocation),
  )
  return id === undefined ? { data, found, missingId: true } : { data, found, id }
}

/**
 * The download link of an uploaded file: with Attachment Type → ID, the Attachment Builder URL
 * with `{RECORD_ID}` and the id read at `attachment_id_location`; with Attachment URL, the URL read
 * at `attachment_url_location`. `undefined` when the response does not hold it (seed 000, Upload a
 * file endpoint, Examples A and B).
 *
 * @example
 * attachmentLink(uploadConfig, { recordId: '456', response }) // 'https://…/record/456/Attachments/123'
 */
export function attachmentLink(
  config: Pick<UploadFileEndpointConfig, 'attachment_type'>,
  context: { readonly recordId?: string | undefined; readonly response: CrmHttpResponse },
): string | undefined {
  const type = config.attachment_type
  const json = context.response.json
  if (type.type === 'attachment_url') {
    const url = readLocation(json, type.attachment_url_location)
    return typeof url === 'string' && url.trim() !== '' ? url : undefined
  }
  const attachmentId = idText(readLocation(json, type.attachment_id_location))
  if (attachmentId === undefined) return undefined
  return substituteUrl(type.attachment_builder_url, {
    ATTACHMENT_ID: attachmentId,
    ...(context.recordId === undefined ? {} : { RECORD_ID: context.recordId }),
  })
}
