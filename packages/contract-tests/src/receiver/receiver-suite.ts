import { runSuite, type RunSuiteOptions } from '../core/runner.js'
import type { ClauseDefinition, ClauseTools, SuiteDefinition, SuiteResult } from '../core/types.js'
import { deliver, deliverAll, type ReceiverSuiteContext, type WebhookDelivery } from './delivery.js'
import {
  adapterAgentAssistDeliveries,
  adapterAgentDeliveries,
  adapterAlternatesDeliveries,
  adapterCallDeliveries,
  adapterChatDeliveries,
  adapterCobrowseDeliveries,
  adapterDuplicateDeliveries,
  adapterEndChatNullsDeliveries,
  adapterRecordPopDeliveries,
  adapterTaskVaDeliveries,
  adapterUnknownKeysDeliveries,
  qmAgentStateDeliveries,
  qmCallKeysDeliveries,
  qmCallNullishDeliveries,
  qmCallStatesDeliveries,
  qmChatNullishDeliveries,
  qmChatStatesDeliveries,
  qmDuplicateDeliveries,
  qmEmptyConnectedAtDeliveries,
  qmTransferDeliveries,
  qmUnknownKeysDeliveries,
} from './variants.js'

export type { ReceiverSuiteContext } from './delivery.js'
export { DEFAULT_RECEIVER_TIMEOUT_MS } from './delivery.js'

/** Which receiver: a QM application's event endpoint, or a headless adapter-event webhook. */
export type ReceiverKind = 'qm' | 'adapter'

/** The simulator's default seed: the suite's sessions are the ones `ccai-sim serve` plays first. */
const DEFAULT_SEED = 1

const QM_TRANSPORT =
  'the QM page names no transport; ccai-sim delivers QM events as a JSON webhook acknowledged by a 2xx (DESIGN.md, surfaces table)'
const ADAPTER_TRANSPORT =
  'adapter events are posted to the CRM page; ccai-sim also delivers them as a JSON webhook for headless consumers, acknowledged by a 2xx (DESIGN.md, surfaces table)'

/** A clause that delivers a list of payloads, in order, and requires a 2xx for each. */
const NOTHING_GENERATED = {
  message:
    'ccai-sim generated no payload for this clause with this seed: a defect of the suite, please report it',
  expected: 'at least one documented payload to send',
  actual: 'none',
} as const

function deliveryClause(
  id: string,
  text: { readonly title: string; readonly rationale: string },
  deliveries: (seed: number) => readonly WebhookDelivery[],
): ClauseDefinition<ReceiverSuiteContext> {
  return {
    id,
    title: `${id} ${text.title}`,
    rationale: text.rationale,
    run: async (context, tools) => {
      const list = deliveries(context.seed ?? DEFAULT_SEED)
      // Never a skip: an empty list is a ccai-sim defect, and a silent skip would hide the clause.
      if (list.length === 0) return tools.fail(NOTHING_GENERATED)
      await deliverAll(context, tools, list)
    },
  }
}

/** A clause that delivers one event twice under one idempotency key and needs both acknowledged. */
function duplicateClause(
  id: string,
  rationale: string,
  deliveries: (seed: number) => readonly WebhookDelivery[],
): ClauseDefinition<ReceiverSuiteContext> {
  return {
    id,
    title: `${id} the same event delivered twice with one idempotency-key is acknowledged both times`,
    rationale,
    run: async (context: ReceiverSuiteContext, tools: ClauseTools) => {
      const [first, again] = deliveries(context.seed ?? DEFAULT_SEED)
      if (!first || !again) return tools.fail(NOTHING_GENERATED)
      const one = await deliver(context, tools, first)
      tools.check(one.acknowledged, {
        message: `the first delivery of ${first.key} was not acknowledged`,
        expected: 'a 2xx for the first delivery',
        actual: one.acknowledged ? '' : (one.error ?? `status ${one.status ?? '?'}`),
      })
      const two = await deliver(context, tools, again)
      tools.check(two.acknowledged, {
        message: `the repeated delivery of ${first.key} (x-ccai-attempt 2) was not acknowledged`,
        expected:
          'a 2xx for a delivery whose idempotency-key was already acknowledged (dedupe it, then acknowledge it)',
        actual: two.acknowledged ? '' : (two.error ?? `status ${two.status ?? '?'}`),
      })
    },
  }
}

const AT_LEAST_ONCE =
  'deliveries are at least once: a lost acknowledgement means a retry with the same idempotency-key, and anything but a 2xx is retried until given up (simulator webhook dispatcher)'

/**
 * The QM receiver suite: every documented QM event variant, POSTed as the simulator's webhook
 * dispatcher does; each must be acknowledged with a 2xx.
 */
export const QM_RECEIVER_SUITE: SuiteDefinition<ReceiverSuiteContext> = {
  name: 'receiver',
  clauses: [
    deliveryClause(
      'QM-001',
      {
        title: 'AgentState login and logout events are acknowledged',
        rationale: `An agent signing in to or out of the adapter sends AgentState with State "login"/"logout" and ParticipantID as a string (qm-call-session-data, Agent logs in / out; reference §2.2); ${QM_TRANSPORT}.`,
      },
      qmAgentStateDeliveries,
    ),
    deliveryClause(
      'QM-002',
      {
        title: 'CallState events with PascalCase keys and an opaque string CallID are acknowledged',
        rationale:
          'Call-side QM items use PascalCase / Capitalised_snake keys (CallID, Queue_path_ids, Participants) and CallID is an opaque string, not the integer call id (qm-call-session-data, Inbound call is projected; reference §2.1, §2.3).',
      },
      qmCallKeysDeliveries,
    ),
    deliveryClause(
      'QM-003',
      {
        title: 'CallState events of whole calls, through every state, are acknowledged in order',
        rationale:
          'A call is projected (ringing, documented), answered (connected) and ends (disconnected; both inferred from the participants and the chat vocabulary), including transfers and abandoned calls (qm-call-session-data; reference §2.3).',
      },
      qmCallStatesDeliveries,
    ),
    deliveryClause(
      'QM-004',
      {
        title: 'CallState events with optional keys absent or null are acknowledged',
        rationale:
          'Optional fields are absent or null as the documents show; where they disagree a consumer must accept both (reference §0, Null vs absent; DESIGN.md, Reading the documents faithfully).',
      },
      qmCallNullishDeliveries,
    ),
    deliveryClause(
      'QM-005',
      {
        title:
          'ChatState events in every state (waiting … transferred) with snake_case keys are acknowledged',
        rationale:
          'Chat state is one of waiting, connected, disconnected, dismissed, resumed, participantDisconnect, transferred, with integer chat_id and snake_case keys (seed 004, Chat state fields; reference §2.4).',
      },
      qmChatStatesDeliveries,
    ),
    deliveryClause(
      'QM-006',
      {
        title: 'a ChatState whose connected_at is "" (chat ended in queue) is acknowledged',
        rationale:
          'connected_at is the empty string "", not null, when a chat ended before anyone connected (seed 004, Chat ended while waiting in queue; reference §2.4, §9 item 3).',
      },
      qmEmptyConnectedAtDeliveries,
    ),
    deliveryClause(
      'QM-007',
      {
        title: 'a transfer sent as ChatState participantDisconnect is acknowledged',
        rationale:
          'Transfers are not an event of their own: the payload has state "participantDisconnect" with the old agent disconnected and the new agent connected (seed 004, transfer example; reference §2.4).',
      },
      qmTransferDeliveries,
    ),
    deliveryClause(
      'QM-008',
      {
        title: 'ChatState events with optional keys absent or null are acknowledged',
        rationale:
          'The table-only keys (queue_uuid, tenant, event_id, timestamp) and the queue fields are missing from some examples and null in others; support_number is always null for chat (seed 004; reference §0, §2.4).',
      },
      qmChatNullishDeliveries,
    ),
    deliveryClause(
      'QM-009',
      {
        title: 'events with keys the documents do not list are acknowledged',
        rationale:
          'The platform adds fields without notice (the chat table lists keys no sample shows) and tolerant readers must pass unknown extra keys (DESIGN.md, Tolerant checking; reference §2.4).',
      },
      qmUnknownKeysDeliveries,
    ),
    duplicateClause('QM-010', AT_LEAST_ONCE, qmDuplicateDeliveries),
  ],
}

/**
 * The adapter-event webhook receiver suite: every adapter and `Task_VA_*` event type, POSTed as the
 * simulator's webhook dispatcher does; each must be acknowledged with a 2xx.
 */
export const ADAPTER_RECEIVER_SUITE: SuiteDefinition<ReceiverSuiteContext> = {
  name: 'receiver',
  clauses: [
    deliveryClause(
      'ADAPTER-001',
      {
        title: 'Agent_Login and Agent_Logout events are acknowledged',
        rationale: `The adapter posts Agent_Login / Agent_Logout with agent_id, agent_email and an optional agent_custom_id (seed 000, agent adapter events; reference §3.1); ${ADAPTER_TRANSPORT}.`,
      },
      adapterAgentDeliveries,
    ),
    deliveryClause(
      'ADAPTER-002',
      {
        title:
          'call events of whole calls (New_Call … End_Call, transfers, redaction) are acknowledged',
        rationale:
          'New_Call fires when the agent answers, then Transfer_Call, Agent_Joined_Call, Party_Added, the call redaction events (type strings inferred) and End_Call (seed 000; reference §3.1).',
      },
      adapterCallDeliveries,
    ),
    deliveryClause(
      'ADAPTER-003',
      {
        title: 'chat events of whole chats (New_Chat … Dismissed_Chat, transfers) are acknowledged',
        rationale:
          'New_Chat, Active_Chat, Chat_Inbound_Message, Chat_Outbound_Message, Transfer_Chat, Agent_Joined_Chat, Party_Added, End_Chat and Dismissed_Chat, with the JSON spellings, not the headings (seed 000; reference §3.1).',
      },
      adapterChatDeliveries,
    ),
    deliveryClause(
      'ADAPTER-004',
      {
        title: 'co-browse events are acknowledged',
        rationale:
          'Cobrowse_Session_Started, _Remote_Control_Changed, _Full_Device_Changed and _Ended carry cobrowse_session_* fields on calls and chats (seed 000; reference §3.1).',
      },
      adapterCobrowseDeliveries,
    ),
    deliveryClause(
      'ADAPTER-005',
      {
        title:
          'Task_VA_Joined, Task_VA_Left and Task_VA_Variables_Received events are acknowledged',
        rationale:
          'A virtual task assistant posts Task_VA_* events with epoch-second string timestamps, data_parameters and captured variables (post-events-for-vtas; seed 002; reference §4.1).',
      },
      adapterTaskVaDeliveries,
    ),
    deliveryClause(
      'ADAPTER-006',
      {
        title: 'CRM_Record_Pop with its camelCase recordUrl is acknowledged',
        rationale:
          'CRM_Record_Pop is a server-side event whose data.recordUrl is camelCase, unlike every other adapter field (seed 000; reference §3.1, §9 item 1).',
      },
      adapterRecordPopDeliveries,
    ),
    deliveryClause(
      'ADAPTER-007',
      {
        title: 'Agent_Assist_Started with string ids and a time-of-day timestamp is acknowledged',
        rationale:
          'Agent_Assist_Started sends queue_id and agent_id as strings ("65", "1") and timestamp as "12:45:15" (seed 000; reference §3.1, §9 item 2).',
      },
      adapterAgentAssistDeliveries,
    ),
    deliveryClause(
      'ADAPTER-008',
      {
        title:
          'End_Chat with explicit null queue_id, queue_path and agent_custom_id is acknowledged',
        rationale:
          'The End_Chat example sends explicit nulls for queue_id, queue_path and agent_custom_id rather than omitting them (seed 000; reference §0 Null vs absent, §3.1).',
      },
      adapterEndChatNullsDeliveries,
    ),
    deliveryClause(
      'ADAPTER-009',
      {
        title: 'events with keys the documents do not list are acknowledged',
        rationale:
          'Any session event may carry optional data the queue configures, and the platform adds fields without notice: tolerant readers must pass unknown extra keys (reference §3.2; DESIGN.md, Tolerant checking).',
      },
      adapterUnknownKeysDeliveries,
    ),
    deliveryClause(
      'ADAPTER-010',
      {
        title: 'events with documented alternate spellings ("end-user") are acknowledged',
        rationale:
          'One paragraph spells cobrowse_session_requested_by / _ended_by as "end-user" where the field list says "end_user"; both are documented (seed 000; reference §3.1).',
      },
      () => adapterAlternatesDeliveries(),
    ),
    duplicateClause('ADAPTER-011', AT_LEAST_ONCE, adapterDuplicateDeliveries),
  ],
}

/** The suite for a kind of receiver. */
export function receiverSuite(kind: ReceiverKind): SuiteDefinition<ReceiverSuiteContext> {
  return kind === 'qm' ? QM_RECEIVER_SUITE : ADAPTER_RECEIVER_SUITE
}

/** What `runReceiverSuite` needs: the receiver, its kind, and optional run settings. */
export interface RunReceiverSuiteOptions
  extends ReceiverSuiteContext, Omit<RunSuiteOptions, 'now'> {
  readonly kind: ReceiverKind
}

/**
 * Runs the QM or adapter receiver suite against a URL and returns a result per clause, with every
 * request and response exchanged.
 *
 * @example
 * const result = await runReceiverSuite({ url: 'http://localhost:3000/qm-events', kind: 'qm' })
 * if (result.summary.failed > 0) process.exitCode = 1
 */
export async function runReceiverSuite(options: RunReceiverSuiteOptions): Promise<SuiteResult> {
  const { kind, only, onClause, ...context } = options
  return runSuite(receiverSuite(kind), context, {
    target: options.url,
    ...(only === undefined ? {} : { only }),
    ...(onClause === undefined ? {} : { onClause }),
  })
}
