/*
 * The CRM client journals sent headers with their secrets already masked (`Basic ***`, custom
 * header values `***`, crm/crm-client.ts). Bodies are journaled as sent, and a CRM may echo or
 * issue credentials in them (an OAuth answer, an API key in a record), so the console masks
 * secret-looking JSON fields the same way before showing a body.
 */
import { prettyBody } from './dom.js'

/** The journal's mask. */
export const MASK = '***'

const SECRET_KEY = /pass(word)?|secret|token|api[-_]?key|authorization|credential/i

export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets)
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        SECRET_KEY.test(key) && (typeof inner === 'string' || typeof inner === 'number')
          ? MASK
          : maskSecrets(inner),
      ]),
    )
  }
  return value
}

/** A journaled body, pretty-printed when JSON, secret fields masked (form bodies: `key=value`). */
export function shownBody(text: string): string {
  try {
    return JSON.stringify(maskSecrets(JSON.parse(text)), null, 2)
  } catch {
    return prettyBody(
      text
        .split('\n')
        .map((line) => {
          const eq = line.indexOf('=')
          return eq > 0 && SECRET_KEY.test(line.slice(0, eq))
            ? `${line.slice(0, eq)}=${MASK}`
            : line
        })
        .join('\n'),
    )
  }
}
