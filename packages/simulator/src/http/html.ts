import { escapeToBuffer } from 'hono/utils/html'

/**
 * Text for the simulator's own pages (the console, the adapter page, the mock CRM's pages), in
 * element content and in quoted attributes: Hono's escaper (`&`, `<`, `>`, `'`, `"`). What the
 * platform sends a CRM as HTML is escaped by the fixtures' projections instead.
 */
export function escapeHtml(text: string): string {
  const buffer: [string] = ['']
  escapeToBuffer(text, buffer)
  return buffer[0]
}
