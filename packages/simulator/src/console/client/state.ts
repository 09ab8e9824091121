import type { Clock, JournalEntry } from './api.js'

/** What the console remembers between polls. */
export const state = {
  clock: null as Clock | null,
  /** The session the session page shows. */
  selected: null as number | null,
  /** Keys of the open `<details>` rows, so a re-render keeps them open. */
  open: new Set<string>(),
  /** The last text each panel was drawn from: an unchanged answer is not re-drawn. */
  last: new Map<string, string>(),
  journal: [] as JournalEntry[],
  journalNext: 0,
  journalDropped: 0,
  /** The message the mail view shows. */
  mail: null as string | null,
  /** The file the storage view previews. */
  preview: null as string | null,
}

/** Whether `text` differs from what panel `name` was last drawn from (and remembers it). */
export function changed(name: string, text: string): boolean {
  if (state.last.get(name) === text) return false
  state.last.set(name, text)
  return true
}

/** Set by main.ts: re-reads every panel (panels call it after acting). */
export const hooks = {
  refresh: (): void => undefined,
  /** Opens a message in the mail view. */
  openMail: (_id: string): void => undefined,
  /** Opens a file in the storage preview. */
  openFile: (_path: string): void => undefined,
  /** Opens a session on the session page. */
  openSession: (_id: number): void => undefined,
}
