import {
  agentEntity,
  apiScenarioOf,
  type AgentEntity,
  type ApiCreateInput,
} from '@ccai-sim/fixtures'
import {
  AppsApiCallSchema,
  AppsApiChatSchema,
  AppsApiErrorSchema,
  checkPayload,
  CreateCallRequestSchema,
  CreateSmsRequestSchema,
  CustomerFlagPayloadSchema,
  CustomerFlagSchema,
} from '@ccai-sim/schemas'
import type { Context } from 'hono'
import { Hono } from 'hono'
import { z } from 'zod'
import type { SimulatorConfig } from '../config.js'
import { SimulatorError } from '../errors.js'
import { CONTROL_BODY_LIMITS, checkJsonShape, readLimitedText } from '../http/body-limits.js'
import { json, route, routesApp, type ResponseDeclaration } from '../http/declare-routes.js'
import type { LiveSession, SimulatorRuntime } from '../runtime/simulator-runtime.js'
import { callObject, chatObject, customerFlagObject, DEFAULT_OUTBOUND_NUMBER } from './objects.js'

/*
 * The CCAI Platform Apps API (reference §7; https://docs.cloud.google.com/contact-center/ccai-platform/docs/apps-api-call,
 * …/apps-api-sms), mounted at `/apps/api/v1`, so a CRM that calls the platform (click-to-call, an
 * outbound SMS, customer flags) can be developed against the simulator. Each accepted request is an
 * input to the session machine: a create request starts a session whose first input it is (the
 * journal records it, a replay repeats it); a customer-flag update is applied to the live session.
 *
 * Wire format as documented: HTTP Basic (company key / API token), JSON bodies, errors as
 * `{ "message": … }` (not problem+json), 10 requests per second per customer.
 *
 * Rules where the documents are silent (one line each, also in the README):
 * - 401 `{ message }` with `WWW-Authenticate: Basic` for missing or wrong credentials; 429
 *   `{ message }` with `Retry-After: 1` past the rate limit (counted on the virtual clock).
 * - Only `Voice Outbound (API)` calls are created; incoming and scheduled calls answer 400 saying so.
 * - `agent_email` (and the SMS's `agentId` / `agentEmail`) name one of the contact centre's agents
 *   (ids 1–60, e-mails as `/_sim/agents` shows them); an agent a person controls must be available,
 *   a scripted agent who is logged out logs in (as routing does); busy, in wrap-up or unavailable:
 *   400 "Agent is not available to take this call".
 * - With `ticket_id` the dialled number is the session's own (the simulator does not read the
 *   ticket); the generic-API flow uses the ticket as the session's record.
 * - Numbers are normalised to E.164 (`+1` for ten digits); the SMS refuses non-US numbers and a
 *   customer already in a live SMS session, with the documented messages.
 */

/** The agents the scenarios draw from (`StoryBuilder.agent`): the contact centre's roster. */
const AGENT_IDS = Array.from({ length: 60 }, (_, i) => i + 1)

const NOT_AVAILABLE = 'Agent is not available to take this call'

/** An Apps API refusal: its status and the documented `{ message }` body. */
class AppsApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 413 | 429,
    message: string,
  ) {
    super(message)
  }
}

function answer(c: Context, error: AppsApiError): Response {
  return c.json({ message: error.message }, error.status)
}

/** A body within the control API's limits, or the platform's `{ message }` (413, 400) naming why. */
async function bodyOf(c: Context): Promise<unknown> {
  let text: string
  try {
    text = await readLimitedText(c, CONTROL_BODY_LIMITS)
    checkJsonShape(text, CONTROL_BODY_LIMITS)
  } catch (error) {
    if (error instanceof SimulatorError) {
      throw new AppsApiError(error.code === 'payload_too_large' ? 413 : 400, error.detail)
    }
    throw error
  }
  if (text.trim() === '') {
    throw new AppsApiError(400, 'body: expected a JSON object, received an empty body')
  }
  try {
    return JSON.parse(text) as unknown
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error)
    throw new AppsApiError(400, `body: expected a JSON object, received malformed JSON (${detail})`)
  }
}

/** Checks a request body as the platform reads it (deprecated spellings pass); 400 names each field. */
function checked<TSchema extends z.ZodType>(schema: TSchema, value: unknown): z.output<TSchema> {
  const result = checkPayload(schema, value, { mode: 'tolerant' })
  if (!result.ok) throw new AppsApiError(400, result.issues.map((i) => i.message).join('; '))
  return result.value
}

/** A phone number as typed (`+1 415-555-0100`, `4155550100`) in E.164, or a 400 naming the field. */
export function e164(field: string, number: string): string {
  const digits = number.replace(/[\s().-]/g, '')
  const plain = digits.startsWith('+') ? digits.slice(1) : digits
  if (!/^\d{7,15}$/.test(plain)) {
    throw new AppsApiError(
      400,
      `${field}: expected a phone number (E.164 or as dialled, 7 to 15 digits), received ${JSON.stringify(number)}`,
    )
  }
  if (digits.startsWith('+')) return digits
  return plain.length === 10 ? `+1${plain}` : `+${plain}`
}

/** The in-sim agents' identities for the configured seed, for look-ups by e-mail. */
function agentsOf(seed: number): AgentEntity[] {
  return AGENT_IDS.map((id) => agentEntity(seed, id, 0))
}

function agentByEmail(seed: number, field: string, email: string): AgentEntity {
  const wanted = email.trim().toLowerCase()
  const agents = agentsOf(seed)
  const found = agents.find((a) => a.email.toLowerCase() === wanted)
  if (!found) {
    throw new AppsApiError(
      400,
      `${field}: expected the e-mail of one of the contact centre's agents (e.g. "${agents[0]?.email ?? ''}"; GET /_sim/agents lists those logged in), received ${JSON.stringify(email)}`,
    )
  }
  return found
}

function agentById(seed: number, field: string, id: number): AgentEntity {
  if (!AGENT_IDS.includes(id)) {
    throw new AppsApiError(
      400,
      `${field}: expected an agent id from 1 to 60, received ${String(id)}`,
    )
  }
  return agentEntity(seed, id, 0)
}

/** The session of a path id, of the right kind, or a 404 `{ message }`. */
function sessionOf(runtime: SimulatorRuntime, raw: string, kind: 'call' | 'chat'): LiveSession {
  const id = /^\d{1,15}$/.test(raw) ? Number(raw) : undefined
  const session = id === undefined ? undefined : runtime.getSession(id)
  if (session?.story.kind !== kind) {
    throw new AppsApiError(404, `${kind === 'call' ? 'Call' : 'Chat'} ${raw} not found`)
  }
  return session
}

export interface AppsApiDeps {
  readonly runtime: SimulatorRuntime
  readonly config: SimulatorConfig['appsApi']
}

const ERRORS = {
  400: json('Invalid request or refused (`{ message }`)', AppsApiErrorSchema),
  413: json('A body over the size limit (`{ message }`)', AppsApiErrorSchema),
  401: json('Missing or wrong credentials (`{ message }`)', AppsApiErrorSchema),
  429: json('More than the rate limit (`{ message }`)', AppsApiErrorSchema),
} satisfies Record<number, ResponseDeclaration>
const NOT_FOUND = json('No such session (`{ message }`)', AppsApiErrorSchema)

const IdParams = z.object({ id: z.string().describe('The call or chat id') })

/** `/apps/api/v1`: the Apps API surface (see the top of this file). */
export function appsApiRoutes(deps: AppsApiDeps): Hono {
  const { runtime, config } = deps
  const seed = runtime.config.seed
  /** Request times of the last second (virtual), for the rate limit. */
  let recent: number[] = []

  /** Every route: auth, then the rate limit, then the handler; refusals are `{ message }`. */
  const guarded =
    (handler: (c: Context) => Response | Promise<Response>) =>
    async (c: Context): Promise<Response> => {
      try {
        authenticate(c.req.header('authorization'), config)
        limit()
        return await handler(c)
      } catch (error) {
        if (error instanceof AppsApiError) {
          if (error.status === 401) c.header('www-authenticate', 'Basic realm="CCAI Platform"')
          if (error.status === 429) c.header('retry-after', '1')
          return answer(c, error)
        }
        if (error instanceof SimulatorError && error.code === 'invalid_command') {
          return answer(c, new AppsApiError(400, error.detail))
        }
        throw error
      }
    }

  const limit = (): void => {
    const max = config.rateLimitPerSecond
    if (max === 0) return
    const now = runtime.clock.now()
    recent = recent.filter((at) => at > now - 1000)
    if (recent.length >= max) {
      throw new AppsApiError(
        429,
        `Rate limit exceeded: at most ${String(max)} requests per second per customer`,
      )
    }
    recent.push(now)
  }

  /** Whether an agent may take an API-created session now; throws the documented refusal if not. */
  const claim = (agent: AgentEntity): 'scripted' | 'manual' => {
    const rostered = runtime.roster.get(agent.id)
    const presence = rostered?.state.presence ?? 'logged_out'
    if (rostered?.manual === true) {
      if (presence !== 'available') throw new AppsApiError(400, NOT_AVAILABLE)
      return 'manual'
    }
    if (presence !== 'available' && presence !== 'logged_out') {
      throw new AppsApiError(400, NOT_AVAILABLE)
    }
    return 'scripted'
  }

  const start = (
    input: ApiCreateInput,
    agent: 'scripted' | 'manual',
    agentId: number | undefined,
  ) =>
    runtime.startSession({
      scenario: apiScenarioOf(input),
      agent,
      overrides: {
        agentId,
        phone:
          input.type === 'api.create_call' && input.ticketId !== null ? undefined : input.phone,
        api: input,
      },
    })

  const routes = [
    route({
      method: 'post',
      path: '/calls',
      summary: 'Create a call (Voice Outbound (API): click-to-call)',
      description:
        'Starts an outbound call for the agent `agent_email` to `end_user_number` (or the customer of `ticket_id`). The call is the first input of a session that reaches the adapter, QM, metadata and the CRM flow like any other. HTTP Basic: company key / API token.',
      request: {
        content: { 'application/json': CreateCallRequestSchema },
        bodyRequired: true,
        limits: false,
      },
      responses: { 201: json('The call, created and assigned', AppsApiCallSchema), ...ERRORS },
      handler: guarded(async (c) => {
        const body = checked(CreateCallRequestSchema, await bodyOf(c))
        if (body.call_type !== 'Voice Outbound (API)' && body.call_type !== 'OutboundCall') {
          throw new AppsApiError(
            400,
            `call_type: the simulator creates "Voice Outbound (API)" calls only, received ${JSON.stringify(body.call_type)}`,
          )
        }
        const ticketId = body.ticket_id ?? null
        const number = body.end_user_number ?? null
        if (ticketId === null && number === null) {
          throw new AppsApiError(
            400,
            'end_user_number: expected a phone number (or a ticket_id), received neither',
          )
        }
        const agent = agentByEmail(seed, 'agent_email', body.agent_email)
        const mode = claim(agent)
        const input: ApiCreateInput = {
          type: 'api.create_call',
          agentId: agent.id,
          // With a ticket, the ticket names the customer (the platform reads it from the CRM).
          phone: number === null ? '' : e164('end_user_number', number),
          ticketId,
          outboundNumber: body.outbound_number ?? DEFAULT_OUTBOUND_NUMBER,
          lang: body.lang ?? 'en',
        }
        const session = start(input, mode, agent.id)
        return c.json(callObject(session, runtime.clock.now()), 201)
      }),
    }),
    route({
      method: 'get',
      path: '/calls/:id',
      summary: 'A call',
      description: 'The call object as the session stands now (status, agent, durations, ticket).',
      request: { params: IdParams },
      responses: { 200: json('The call', AppsApiCallSchema), 404: NOT_FOUND, ...ERRORS },
      handler: guarded((c) => {
        const session = sessionOf(runtime, c.req.param('id') ?? '', 'call')
        return c.json(callObject(session, runtime.clock.now()))
      }),
    }),
    route({
      method: 'get',
      path: '/calls/:id/customer_flag',
      summary: "A call's reserved data attributes (customer flags)",
      request: { params: IdParams },
      responses: { 200: json('The flags', CustomerFlagSchema), 404: NOT_FOUND, ...ERRORS },
      handler: guarded((c) => {
        const session = sessionOf(runtime, c.req.param('id') ?? '', 'call')
        return c.json(customerFlagObject(session.machine))
      }),
    }),
    route({
      method: 'patch',
      path: '/calls/:id/customer_flag',
      summary: "Update a call's reserved data attributes (customer flags)",
      description:
        'An input to the session machine (recorded in the journal). The PATCH example’s spelling `repeat_customers` is accepted.',
      request: {
        params: IdParams,
        content: { 'application/json': CustomerFlagPayloadSchema },
        bodyRequired: true,
        limits: false,
      },
      responses: { 200: json('The flags now', CustomerFlagSchema), 404: NOT_FOUND, ...ERRORS },
      handler: guarded(async (c) => {
        const session = sessionOf(runtime, c.req.param('id') ?? '', 'call')
        const body = checked(CustomerFlagPayloadSchema, await bodyOf(c))
        const updated = runtime.command(session.id, {
          type: 'api.customer_flag',
          verifiedCustomer: body.verified_customer,
          badActor: body.bad_actor,
          repeatCustomer: 'repeat_customer' in body ? body.repeat_customer : body.repeat_customers,
        })
        return c.json(customerFlagObject(updated.machine))
      }),
    }),
    route({
      method: 'post',
      path: '/sms',
      summary: 'Send an outbound SMS (opens an SMS chat)',
      description:
        'Opens an SMS chat to `end_user_number` with `message`; with `agentId` or `agentEmail` the chat is assigned to that agent at once.',
      request: {
        content: { 'application/json': CreateSmsRequestSchema },
        bodyRequired: true,
        limits: false,
      },
      responses: { 200: json('The chat', AppsApiChatSchema), ...ERRORS },
      handler: guarded(async (c) => {
        const body = checked(CreateSmsRequestSchema, await bodyOf(c))
        const phone = e164('end_user_number', body.end_user_number)
        if (!/^\+1\d{10}$/.test(phone))
          throw new AppsApiError(400, 'Non-US phone number not allowed')
        const agent =
          body.agentId !== undefined && body.agentId !== null
            ? agentById(seed, 'agentId', body.agentId)
            : body.agentEmail !== undefined && body.agentEmail !== null
              ? agentByEmail(seed, 'agentEmail', body.agentEmail)
              : undefined
        const busy = runtime
          .listSessions()
          .some(
            (s) =>
              s.story.channel === 'sms' &&
              s.machine.endedAt === null &&
              s.story.endUser.phone === phone,
          )
        if (busy) {
          throw new AppsApiError(
            400,
            'Outbound SMS failed. Consumer is already in an active SMS session.',
          )
        }
        if (agent) claim(agent)
        const input: ApiCreateInput = {
          type: 'api.create_sms',
          assignTo: agent?.id ?? null,
          phone,
          ticketId: body.ticket_id ?? null,
          outboundNumber: e164('outbound_number', body.outbound_number),
          message: body.message,
        }
        const session = start(input, 'scripted', agent?.id)
        return c.json(chatObject(session, runtime.clock.now()), 200)
      }),
    }),
    route({
      method: 'get',
      path: '/chats/:id',
      summary: 'A chat (an SMS chat the API opened, or any chat)',
      request: { params: IdParams },
      responses: { 200: json('The chat', AppsApiChatSchema), 404: NOT_FOUND, ...ERRORS },
      handler: guarded((c) => {
        const session = sessionOf(runtime, c.req.param('id') ?? '', 'chat')
        return c.json(chatObject(session, runtime.clock.now()))
      }),
    }),
  ]
  const app = new Hono()
  app.route('/', routesApp('apps API', routes))
  return app
}

/** HTTP Basic: the company key as user name, the API token as password. */
function authenticate(header: string | undefined, config: SimulatorConfig['appsApi']): void {
  const match = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header ?? '')
  if (!match?.[1]) {
    throw new AppsApiError(
      401,
      'Unauthorized: HTTP Basic authentication required (user name: the company key, password: an API token)',
    )
  }
  const decoded = Buffer.from(match[1], 'base64').toString('utf8')
  const colon = decoded.indexOf(':')
  const user = colon < 0 ? decoded : decoded.slice(0, colon)
  const password = colon < 0 ? '' : decoded.slice(colon + 1)
  if (user !== config.companyKey || password !== config.apiToken) {
    throw new AppsApiError(401, 'Unauthorized: the company key or the API token is wrong')
  }
}
