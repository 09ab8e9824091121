/*
 * When the platform sends a session outcome email, and to whom. Seed 000, "Settings inheritance and
 * overriding", is a four-row table over (global enabled?, queue enabled?); it is implemented here
 * row by row. The per-queue setting exists on sub-queues.
 */

/** One "Send session outcome via Email" setting: the toggle and the address typed next to it. */
export interface OutcomeEmailSetting {
  readonly enabled: boolean
  readonly address?: string | null | undefined
}

export interface OutcomeEmailSettings {
  /** Settings > Developer Settings > Custom CRM. */
  readonly global: OutcomeEmailSetting
  /** Settings > Queue > (sub-queue). Absent when the session's queue has no setting: the same as "not enabled". */
  readonly queue?: OutcomeEmailSetting | null | undefined
}

export const OUTCOME_EMAIL_RULES = [
  'neither-enabled',
  'queue-overrides-global',
  'queue-inherits-global',
  'queue-address-overrides-global',
] as const
export type OutcomeEmailRule = (typeof OUTCOME_EMAIL_RULES)[number]

export interface OutcomeEmailInheritanceRow {
  readonly global: boolean
  readonly queue: boolean
  readonly rule: OutcomeEmailRule
  /** Whose address the email goes to. */
  readonly addressFrom: 'none' | 'queue' | 'global'
  /** The documents' wording of the behaviour. */
  readonly behaviour: string
}

/**
 * The settings inheritance table of seed 000, as data.
 *
 * @see seeds/000_2170762ce078838e.txt ("Settings inheritance and overriding")
 * confidence: documented
 */
export const OUTCOME_EMAIL_INHERITANCE = [
  {
    global: false,
    queue: false,
    rule: 'neither-enabled',
    addressFrom: 'none',
    behaviour: "Don't send for all queues.",
  },
  {
    global: false,
    queue: true,
    rule: 'queue-overrides-global',
    addressFrom: 'queue',
    behaviour:
      'The queue setting (i.e., on/off state) overrides the global setting. Email is sent from a given queue to an email address defined in the queue setting.',
  },
  {
    global: true,
    queue: false,
    rule: 'queue-inherits-global',
    addressFrom: 'global',
    behaviour:
      'The queue setting (email address, on/off state) inherits the global setting. Email is sent from a given queue to an email address defined in the global setting.',
  },
  {
    global: true,
    queue: true,
    rule: 'queue-address-overrides-global',
    addressFrom: 'queue',
    behaviour:
      'The queue setting (email address) overrides the global setting. Email is sent from a given queue to an email address defined in the queue setting. If the email address is empty, then email is not sent.',
  },
] as const satisfies readonly OutcomeEmailInheritanceRow[]

export interface OutcomeEmailDecision {
  readonly send: boolean
  /** The recipient when `send`; otherwise `null`. */
  readonly to: string | null
  readonly rule: OutcomeEmailRule
  readonly reason: string
}

function addressOf(setting: OutcomeEmailSetting | null | undefined): string {
  return (setting?.address ?? '').trim()
}

/**
 * Applies the inheritance table to a global and a queue setting. An empty (or blank) address never
 * receives mail: documented for "both enabled", and the only possible outcome in the other rows
 * (there is nowhere to send to).
 */
export function resolveOutcomeEmail(settings: OutcomeEmailSettings): OutcomeEmailDecision {
  const globalOn = settings.global.enabled
  const queueOn = settings.queue?.enabled ?? false
  const row = OUTCOME_EMAIL_INHERITANCE.find((r) => r.global === globalOn && r.queue === queueOn)
  if (row === undefined || row.addressFrom === 'none') {
    return {
      send: false,
      to: null,
      rule: 'neither-enabled',
      reason: 'neither the global nor the queue setting is enabled',
    }
  }
  const address =
    row.addressFrom === 'queue' ? addressOf(settings.queue) : addressOf(settings.global)
  if (address === '') {
    return {
      send: false,
      to: null,
      rule: row.rule,
      reason: `the ${row.addressFrom} setting applies but its email address is empty`,
    }
  }
  return {
    send: true,
    to: address,
    rule: row.rule,
    reason: `sent to the address of the ${row.addressFrom} setting`,
  }
}

/** Whether the settings make the platform send session outcome emails for the queue at all. */
export function isOutcomeEmailEnabled(settings: OutcomeEmailSettings): boolean {
  return resolveOutcomeEmail(settings).send
}

/** The only session status that gets an outcome email. */
export const OUTCOME_EMAIL_STATUSES = ['finished'] as const

/**
 * "Emails are sent for successfully finished sessions only. It is not sent for failed or abandoned
 * sessions." Only the metadata status `finished` qualifies; every other status (`failed`,
 * `canceled`, `no_response`, `deflected`, `recovered`, in-progress statuses…) does not. Exact,
 * lower-case match, as on the wire.
 */
export function shouldSendOutcomeEmail(status: string): boolean {
  return (OUTCOME_EMAIL_STATUSES as readonly string[]).includes(status)
}

/** Both rules at once: the session's status and the settings of its queue. */
export function decideOutcomeEmail(
  input: OutcomeEmailSettings & { readonly status: string },
): OutcomeEmailDecision {
  const decision = resolveOutcomeEmail(input)
  if (!decision.send || shouldSendOutcomeEmail(input.status)) return decision
  return {
    send: false,
    to: null,
    rule: decision.rule,
    reason: `the session status is "${input.status}"; only successfully finished sessions get an email`,
  }
}
