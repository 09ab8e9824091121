/**
 * The generic API's own vocabularies: template variables, parameter functions and the values some
 * variables take. They are plain constant lists so that the request builder, the mock CRM and the
 * settings schemas share one source, and so that a reader can check a value without a parser.
 */

/**
 * Variables of the Request URL, the request parameters and the CRM lookup URLs of the generic API
 * (seed 000, "Request URL Parameters"), without their braces. `Call_ID` and `Chat_ID` are mixed case
 * as printed. `ATTACHMENT_ID` is not here: it exists only in the Attachment Builder URL.
 * `LAST_NAME` defaults to `--`; `CALL_DURATION`, `HOLD_TIME` and `WAIT_TIME` are `mm:ss`;
 * `COMMENT_BODY` exists only for comments and `FILE_DATA` only for the upload endpoint.
 */
export const GENERIC_API_VARIABLES = [
  'AGENT_ID',
  'AGENT_CUSTOM_ID',
  'AGENT_EMAIL',
  'NAME',
  'FIRST_NAME',
  'LAST_NAME',
  'UJET_ID',
  'EMAIL',
  'SESSION_TYPE',
  'PHONE_NUMBER',
  'Call_ID',
  'Chat_ID',
  'LANG',
  'CUSTOM_USER_ID',
  'ACCOUNT_ID',
  'RECORD_ID',
  'SESSION_ID',
  'MENU_PATH',
  'OUTBOUND_PHONE_NUMBER',
  'QUEUE_NAME',
  'QUEUE_ID',
  'SDK_NAME',
  'SDK_EMAIL',
  'SDK_PHONE',
  'SDK_IDENTIFIER',
  'SMART_ACTION_SESSION_ID',
  'RATING',
  'FEEDBACK',
  'CALL_DURATION',
  'HOLD_TIME',
  'WAIT_TIME',
  'DEVICE_TYPE',
  'DISCONNECTED_BY',
  'CHANNEL',
  'TICKET_SUBJECT',
  'TICKET_DESCRIPTION',
  'TICKET_DESCRIPTION_HTML',
  'COMMENT_BODY',
  'FILE_DATA',
] as const
export type GenericApiVariable = (typeof GENERIC_API_VARIABLES)[number]

/** The two variables of the upload endpoint's Attachment Builder URL (seed 000, Upload a file endpoint). */
export const ATTACHMENT_BUILDER_URL_VARIABLES = ['RECORD_ID', 'ATTACHMENT_ID'] as const
export type AttachmentBuilderUrlVariable = (typeof ATTACHMENT_BUILDER_URL_VARIABLES)[number]

/**
 * Variables of the custom lookup URL method (seed 000, "Custom lookup URL configuration"), without
 * their braces. The last five came with release 3.40 (2025-10-31, release notes); their brace syntax
 * is assumed by analogy with the others. Variables with empty values are left out of the URL.
 */
export const LOOKUP_URL_VARIABLES = [
  'ANI',
  'CUID',
  'EMAIL',
  'MENU_PATH',
  'MENU_ID',
  'CHANNEL',
  'TYPE',
  'CUSTOMER_PHONE_NUMBER',
  'SUPPORT_PHONE_NUMBER',
  'OUTBOUND_NUMBER',
  'SESSION_ID',
  'CUSTOM_AGENT_ID',
] as const
export type LookupUrlVariable = (typeof LOOKUP_URL_VARIABLES)[number]

/** Values of `{CHANNEL}` in a lookup URL (seed 000). */
export const LOOKUP_URL_CHANNELS = ['chat', 'voice_call'] as const
export type LookupUrlChannel = (typeof LOOKUP_URL_CHANNELS)[number]

/** Values of `{TYPE}` in a lookup URL for calls (seed 000). */
export const LOOKUP_URL_CALL_TYPES = [
  'IncomingCall(app)',
  'ScheduledCall(app)',
  'IncomingCall(web)',
  'ScheduledCall(web)',
  'Outbound_Call',
  'OutboundCall(api)',
  'IncomingCall(api)',
  'IVR_Call',
  'IVRCall(app)',
  'Voicemail',
] as const
/** Values of `{TYPE}` in a lookup URL for chats (seed 000). */
export const LOOKUP_URL_CHAT_TYPES = ['Mobile', 'Web', 'SMS'] as const
export type LookupUrlType =
  (typeof LOOKUP_URL_CALL_TYPES)[number] | (typeof LOOKUP_URL_CHAT_TYPES)[number]

/**
 * Functions of a request parameter value (seed 000, "Request URL parameter functions"), written
 * `=NAME(arg, arg, …)`. Only allowed in the Request Parameter section. A function's result is a
 * string; when it yields nothing the parameter is dropped from the request.
 * `DEFAULT_VALUE(a, b)` is `a` unless null or empty, else `b`; `CONCAT_OR(a, b, c)` joins the
 * non-empty arguments with ` or `, `CONCAT_AND` with ` and ` (seed 000, Zoho example).
 */
export const PARAMETER_FUNCTIONS = ['DEFAULT_VALUE', 'CONCAT_OR', 'CONCAT_AND'] as const
export type ParameterFunction = (typeof PARAMETER_FUNCTIONS)[number]

/**
 * The session events on which the platform adds a comment to the record when the Comment endpoint
 * is configured (seed 000, Comment endpoint). Not a setting: the portal offers no per-event switch.
 */
export const COMMENT_EVENTS = [
  'session_start',
  'session_end',
  'csat_rating_and_comment',
  'custom_data_package',
  'transfer_comment',
  'disposition_code_and_notes',
  'survey_questions_and_answers',
] as const
export type CommentEvent = (typeof COMMENT_EVENTS)[number]

const NAME = '[A-Za-z_][A-Za-z0-9_]*'

/** What may sit inside braces: one of `variables`, or any variable-shaped name. */
type VariableSet = readonly string[] | 'any'

function variableAlternatives(variables: VariableSet): string {
  return variables === 'any' ? `\\{${NAME}\\}` : `\\{(?:${variables.join('|')})\\}`
}

/** Text in which every `{…}` is a variable of the set; any other character is literal text. */
function templateText(variables: VariableSet): string {
  return `(?:[^{}]|${variableAlternatives(variables)})*`
}

function urlPattern(variables: VariableSet): RegExp {
  // http(s), then at least one character, no whitespace; braces only around variables.
  return new RegExp(`^https?://(?:[^{}\\s]|${variableAlternatives(variables)})+$`)
}

function parameterPattern(variables: VariableSet | 'free'): RegExp {
  const text = variables === 'free' ? '[\\s\\S]*' : templateText(variables)
  const call = `=(?:${PARAMETER_FUNCTIONS.join('|')})\\(${text}\\)`
  // A value starting with `=` is a function call; anything else is literal text with variables.
  return new RegExp(`^(?:${call}|(?!=)${text})$`)
}

/**
 * A request parameter value whose variables are all known and whose function (if any) is one of
 * `PARAMETER_FUNCTIONS`: `+1 555`, `{PHONE_NUMBER}`, `Inbound call from {PHONE_NUMBER}`,
 * `=DEFAULT_VALUE({AGENT_EMAIL}, support@example.com)`, `=CONCAT_OR((Phone:equals:{PHONE_NUMBER}), (Email:equals:{EMAIL}))`.
 * A check at regex level: argument lists are not parsed.
 */
export const PARAMETER_VALUE_PATTERN = parameterPattern(GENERIC_API_VARIABLES)

/**
 * The tolerant form of `PARAMETER_VALUE_PATTERN`: the function name is still checked, but the text
 * may hold any braces (variables added by later releases, literal JSON).
 */
export const PARAMETER_VALUE_LOOSE_PATTERN = parameterPattern('free')

/** An endpoint Request URL, lookup URL or display URL template using generic API variables only. */
export const GENERIC_API_URL_PATTERN = urlPattern(GENERIC_API_VARIABLES)

/** An Attachment Builder URL template using `{RECORD_ID}` and `{ATTACHMENT_ID}` only. */
export const ATTACHMENT_BUILDER_URL_PATTERN = urlPattern(ATTACHMENT_BUILDER_URL_VARIABLES)

/** A custom lookup URL template using lookup URL variables only. */
export const LOOKUP_URL_PATTERN = urlPattern(LOOKUP_URL_VARIABLES)

/** A URL template whose `{NAME}`s are variable-shaped, known or not. */
export const ANY_VARIABLE_URL_PATTERN = urlPattern('any')

/** The variable names a template uses, in order of appearance (`{Call_ID}` → `Call_ID`). */
export function templateVariables(template: string): string[] {
  return [...template.matchAll(new RegExp(`\\{(${NAME})\\}`, 'g'))].map((match) => match[1] ?? '')
}

/** The function a parameter value calls (`=CONCAT_OR(…)` → `CONCAT_OR`), or undefined for a plain value. */
export function parameterFunction(value: string): ParameterFunction | undefined {
  const match = /^=([A-Z_]+)\(/.exec(value)
  const name = match?.[1]
  return PARAMETER_FUNCTIONS.find((known) => known === name)
}
