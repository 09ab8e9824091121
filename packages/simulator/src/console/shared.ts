/* What both the page's markup (page.ts, on the server) and its script (client/) name. */

export const JOURNAL_TYPES = [
  'session-started',
  'input',
  'input-refused',
  'agent',
  'emitted',
  'file-written',
  'file-failed',
  'delivery-attempt',
  'mail-sent',
  'mail-failed',
  'crm-exchange',
  'upload',
  'backlog',
  'reset',
  'speech',
] as const

/**
 * `live`: still running; `ended`: the conversation is over but files or mail are still due at
 * their virtual time; `complete`: everything it will ever produce has gone out.
 */
export const STATE_LEGEND: readonly (readonly [string, string])[] = [
  ['live', 'the conversation is going on'],
  ['ended', 'the conversation is over; files or mail are still due (advance the clock)'],
  ['complete', 'everything the session produces has gone out'],
]
