import type { AgentEntity, SessionState as MachineState, SessionStory } from '@ccai-sim/fixtures'
import type {
  AppsApiCall,
  AppsApiChat,
  CallParticipant,
  ChatParticipant,
  CustomerFlag,
  HumanAgentInfo,
} from '@ccai-sim/schemas'

/*
 * The Apps API's call and chat objects (reference §7.2, §7.3) of a live session, read from the
 * session machine's state and the story so far at `now` (virtual time): what `POST` answers at
 * creation and what a CRM polling `GET /calls/:id` sees as the session moves on.
 *
 * Rules where the documents are silent (one line each, also in the README):
 * - status: `assigned` while the agent's leg rings (the docs' create example), `connected` while
 *   an agent holds the call, `queued` while routing looks for one, `finished` after the end (a chat
 *   holds `assigned` from the offer to its end), `failed` when the customer hung up first.
 * - `verified` is the `verified_customer` flag the API client last set.
 * - The default outbound number (`outbound_number` left empty) is the simulator's support line.
 */

export const DEFAULT_OUTBOUND_NUMBER = '+1 415-555-0100'

/** The session as the objects need it. */
export interface ApiSessionView {
  readonly id: number
  readonly machine: MachineState
  readonly story: SessionStory
}

function iso(at: number | undefined): string | null {
  return at === undefined ? null : new Date(at).toISOString()
}

function seconds(ms: number): number {
  return Math.max(0, Math.round(ms / 1000))
}

/** When the story first had a step of `kind` (optionally for one agent). */
function firstAt(story: SessionStory, kind: string, agentId?: number): number | undefined {
  return story.steps.find(
    (s) => s.kind === kind && (agentId === undefined || ('agentId' in s && s.agentId === agentId)),
  )?.at
}

function holdSeconds(story: SessionStory, now: number): number {
  let total = 0
  let since: number | undefined
  for (const step of story.steps) {
    if (step.kind === 'hold') since = step.at
    if ((step.kind === 'unhold' || step.kind === 'ended') && since !== undefined) {
      total += step.at - since
      since = undefined
    }
  }
  if (since !== undefined) total += now - since
  return seconds(total)
}

function agentInfo(agent: AgentEntity, withEmail: boolean): HumanAgentInfo {
  return {
    id: agent.id,
    agent_number: agent.agent_number,
    name: agent.name,
    last_name: agent.last_name,
    first_name: agent.first_name,
    avatar_url: agent.avatar_url,
    ...(withEmail ? { email: agent.email } : {}),
  }
}

interface Common {
  readonly created: number
  readonly assigned: number | undefined
  readonly connected: number | undefined
  readonly ended: number | undefined
  readonly agent: AgentEntity | undefined
  readonly disconnectedBy: string
  readonly rating: number | null
  readonly feedback: boolean
}

function common(view: ApiSessionView): Common {
  const { story, machine } = view
  const ended = story.steps.find((s) => s.kind === 'ended' || s.kind === 'abandoned')
  const csat = story.steps.find((s) => s.kind === 'csat')
  const assignedStep = story.steps.find((s) => s.kind === 'assigned')
  const agentId = assignedStep?.kind === 'assigned' ? assignedStep.agentId : undefined
  return {
    created: firstAt(story, 'created') ?? machine.at,
    assigned: assignedStep?.at,
    connected: firstAt(story, 'connected'),
    ended: ended?.at,
    agent: machine.agents.find((a) => a.id === agentId),
    disconnectedBy:
      ended?.kind === 'ended'
        ? ended.by === 'agent'
          ? 'disconnected_by_agent'
          : 'disconnected_by_end_user'
        : ended?.kind === 'abandoned'
          ? 'disconnected_by_end_user'
          : 'disconnected_by_unknown',
    rating: csat?.kind === 'csat' ? csat.rating : null,
    feedback: csat?.kind === 'csat' && csat.feedback !== null,
  }
}

/** A participant's leg: waiting until it connects, connected, finished once it left or the end. */
function leg(
  connectedAt: number | undefined,
  endedAt: number | undefined,
): {
  status: 'waiting' | 'connected' | 'finished'
  connected_at: string | null
  ended_at: string | null
} {
  return {
    status:
      endedAt !== undefined ? 'finished' : connectedAt !== undefined ? 'connected' : 'waiting',
    connected_at: iso(connectedAt),
    ended_at: iso(endedAt),
  }
}

function callStatus(view: ApiSessionView): string {
  const { machine, story } = view
  // A caller who left a voicemail: the "Call status definitions" name it (`voicemail`).
  const left = story.steps.find((s) => s.kind === 'abandoned')
  if (left?.kind === 'abandoned' && left.voicemailSeconds !== undefined) return 'voicemail'
  if (machine.outcome === 'abandoned') return 'failed'
  if (machine.endedAt !== null) return 'finished'
  switch (machine.phase) {
    case 'new':
      return 'selecting'
    case 'offered':
      return 'assigned'
    case 'connected':
      return 'connected'
    case 'routing':
      return 'queued'
    case 'ended':
    case 'wrapup':
    case 'done':
      return 'finished'
  }
}

/** `GET /apps/api/v1/calls/:id` (and the `POST` answer) for a call session at `now`. */
export function callObject(view: ApiSessionView, now: number): AppsApiCall {
  const { story, machine } = view
  const c = common(view)
  const agentLeft = c.agent
    ? story.steps.find(
        (s) => s.kind === 'agent_left' && 'agentId' in s && s.agentId === c.agent?.id,
      )?.at
    : undefined
  const agentEnded = agentLeft ?? c.ended
  const endUserStatus = leg(c.connected, c.ended)
  const participants: CallParticipant[] = []
  if (c.agent) {
    participants.push({
      id: c.agent.participant_id,
      type: 'agent',
      ...leg(c.connected, agentEnded),
      call_id: view.id,
      user_id: c.agent.id,
      end_user_id: null,
      call_duration: c.connected === undefined ? null : seconds((agentEnded ?? now) - c.connected),
      hold_duration: null,
      fail_reason: 'nothing',
    })
  }
  participants.push({
    id: story.endUser.participant_id,
    type: 'end_user',
    ...endUserStatus,
    call_id: view.id,
    user_id: null,
    end_user_id: story.endUser.id,
    call_duration: c.connected === undefined ? null : seconds((c.ended ?? now) - c.connected),
    hold_duration: null,
    fail_reason: 'nothing',
  })
  return {
    id: view.id,
    parent_id: null,
    lang: story.lang,
    call_type: story.legacyType,
    status: callStatus(view),
    created_at: iso(c.created) ?? '',
    queued_at: iso(firstAt(story, 'queued')),
    assigned_at: iso(c.assigned),
    connected_at: iso(c.connected),
    ends_at: iso(c.ended),
    scheduled_at: null,
    wait_duration: seconds((c.connected ?? c.ended ?? now) - c.created),
    call_duration: c.connected === undefined ? 0 : seconds((c.ended ?? now) - c.connected),
    hold_duration: holdSeconds(story, now),
    rating: c.rating,
    has_feedback: c.feedback,
    voip_provider: 'voip_provider_twilio',
    out_ticket_id: story.ticket?.id ?? null,
    out_ticket_url: story.ticket?.url ?? null,
    verified: machine.customerFlags.verifiedCustomer,
    recording_url: null,
    recording_permission: 'not_asked',
    voicemail_reason: 'not_voicemail',
    deflection: 'no_deflection',
    disconnected_by: c.disconnectedBy,
    fail_reason: 'nothing',
    fail_details: null,
    support_number: null,
    selected_menu: null,
    menu_path: null,
    agent_info: c.agent ? agentInfo(c.agent, false) : null,
    end_user: {
      id: story.endUser.id,
      identifier: null,
      out_contact_id: story.endUser.out_contact_id,
    },
    photos: [],
    videos: [],
    transfers: [],
    deflection_details: [],
    participants,
    offer_type: null,
    offer_events: [],
    answer_type: 'manual',
    outbound_number: machine.api?.outboundNumber ?? DEFAULT_OUTBOUND_NUMBER,
  }
}

function chatStatus(view: ApiSessionView): string {
  const { machine } = view
  if (machine.outcome === 'abandoned') return 'canceled'
  if (machine.endedAt !== null) return 'finished'
  switch (machine.phase) {
    case 'new':
    case 'routing':
      // Outbound SMS without an agent: "selecting" until the customer's reply routes it.
      return machine.queued ? 'queued' : 'selecting'
    case 'offered':
    case 'connected':
      return 'assigned'
    case 'ended':
    case 'wrapup':
    case 'done':
      return 'finished'
  }
}

/** `GET /apps/api/v1/chats/:id` (and the `POST /sms` answer) for a chat session at `now`. */
export function chatObject(view: ApiSessionView, now: number): AppsApiChat {
  const { story, machine } = view
  const c = common(view)
  const participants: ChatParticipant[] = [
    {
      id: story.endUser.participant_id,
      type: 'end_user',
      ...leg(c.created, c.ended),
      chat_id: view.id,
      user_id: null,
      end_user_id: story.endUser.id,
      chat_duration: c.ended === undefined ? null : seconds(c.ended - c.created),
      fail_reason: 'nothing',
    },
  ]
  if (c.agent && c.connected !== undefined) {
    participants.push({
      id: c.agent.participant_id,
      type: 'agent',
      ...leg(c.connected, c.ended),
      chat_id: view.id,
      user_id: c.agent.id,
      end_user_id: null,
      chat_duration: c.ended === undefined ? null : seconds(c.ended - c.connected),
      fail_reason: 'nothing',
    })
  }
  const messages = story.steps.filter((s) => s.kind === 'message')
  return {
    id: view.id,
    lang: story.lang,
    chat_type: story.legacyType,
    status: chatStatus(view),
    created_at: iso(c.created) ?? '',
    queued_at: iso(firstAt(story, 'queued')),
    assigned_at: iso(c.assigned),
    ends_at: iso(c.ended),
    wait_duration: seconds((c.connected ?? c.ended ?? now) - c.created),
    chat_duration: c.connected === undefined ? 0 : seconds((c.ended ?? now) - c.connected),
    rating: c.rating,
    has_feedback: c.feedback,
    out_ticket_id: story.ticket?.id ?? null,
    out_ticket_url: story.ticket?.url ?? null,
    verified: machine.customerFlags.verifiedCustomer,
    disconnected_by: c.disconnectedBy,
    fail_reason: null,
    selected_menu: null,
    menu_path: null,
    agent_info: c.agent ? agentInfo(c.agent, true) : null,
    end_user: { id: story.endUser.id, identifier: null, out_contact_id: null },
    photos: [],
    videos: [],
    transfers: [],
    participants,
    offer_type: null,
    offer_events: [],
    answer_type: 'manual',
    outbound_number: machine.api?.outboundNumber ?? null,
    message_count: messages.length,
    first_msg_sent_at: iso(messages[0]?.at),
    last_msg_sent_at: iso(messages.at(-1)?.at),
  }
}

/** The reserved data attributes on the wire. */
export function customerFlagObject(machine: MachineState): CustomerFlag {
  return {
    verified_customer: machine.customerFlags.verifiedCustomer,
    bad_actor: machine.customerFlags.badActor,
    repeat_customer: machine.customerFlags.repeatCustomer,
  }
}
