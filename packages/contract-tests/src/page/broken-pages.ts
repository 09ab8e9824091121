/*
 * Deliberately broken CRM pages: the example page (`examples/crm-page/crm-page.js`) with exactly
 * one fault, each with the clause the page suite must fail for it and the clauses that are then
 * blocked. They prove the suite points at the right clause (its mutation score).
 */

/** One broken page: a single text replacement in the example page's script. */
export interface BrokenPage {
  /** What is broken, as a phrase: `reads recordURL instead of recordUrl`. */
  readonly fault: string
  /** The text replaced (must occur in the example script exactly once). */
  readonly find: string
  readonly replace: string
  /** The clause the suite must fail. */
  readonly expectedFailure: string
  /** The clauses then blocked (they need what it broke). */
  readonly expectedBlocked?: readonly string[]
}

const ALL_BLOCKED = ['PAGE-002', 'PAGE-003', 'PAGE-004', 'PAGE-005', 'PAGE-007']

/** The broken pages. */
export const BROKEN_PAGES: readonly BrokenPage[] = [
  {
    fault: 'loads the call adapter from another origin than the configured one',
    find: "document.getElementById('ccai-call').src = ADAPTER_ORIGIN + '/agent/?type=call&from=custom'\n  document.getElementById('ccai-chat').src = ADAPTER_ORIGIN + '/agent/?type=chat&from=custom'",
    replace:
      "document.getElementById('ccai-call').src = 'https://acme.ccaiplatform.example/agent/?type=call&from=custom'\n  document.getElementById('ccai-chat').src = 'https://acme.ccaiplatform.example/agent/?type=chat&from=custom'",
    expectedFailure: 'PAGE-001',
    expectedBlocked: ALL_BLOCKED,
  },
  {
    fault: 'leaves out from=custom, so the platform serves no adapter',
    find: "'/agent/?type=call&from=custom'\n  document.getElementById('ccai-chat').src = ADAPTER_ORIGIN + '/agent/?type=chat&from=custom'",
    replace:
      "'/agent/?type=call'\n  document.getElementById('ccai-chat').src = ADAPTER_ORIGIN + '/agent/?type=chat'",
    expectedFailure: 'PAGE-001',
    expectedBlocked: ALL_BLOCKED,
  },
  {
    fault: 'reads the target queue of Transfer_Call from a nested object that is not there',
    find: "      case 'Transfer_Call':\n      case 'Transfer_Chat':\n        text('queue', data.to_queue_path)",
    replace:
      "      case 'Transfer_Call':\n        text('queue', data.to_queue.path)\n        break\n      case 'Transfer_Chat':\n        text('queue', data.to_queue_path)",
    expectedFailure: 'PAGE-002',
  },
  {
    fault: 'throws on Call_Redaction_Stopped, a call event it was not written for',
    find: '      default:\n        break',
    replace:
      "      case 'Call_Redaction_Stopped':\n        throw new Error('unknown call event ' + event.type)\n      default:\n        break",
    expectedFailure: 'PAGE-002',
  },
  {
    fault: 'throws on Dismissed_Chat',
    find: "      case 'End_Chat':\n      case 'Dismissed_Chat':\n        text('state', 'ended')",
    replace:
      "      case 'End_Chat':\n        text('state', 'ended')\n        break\n      case 'Dismissed_Chat':\n        throw new Error('unexpected event ' + event.type)",
    expectedFailure: 'PAGE-003',
  },
  {
    fault: 'reads the agent of Transfer_Chat from a nested object that is not there',
    find: "        text('queue', data.to_queue_path)\n        text('state', 'transferring')",
    replace:
      "        if (event.type === 'Transfer_Chat') text('agent', data.to_agent.email)\n        text('queue', data.to_queue_path)\n        text('state', 'transferring')",
    expectedFailure: 'PAGE-003',
  },
  {
    fault: 'parses the VTA variables as a JSON string',
    find: "log('VTA variables: ' + Object.keys(data.data_parameters || {}).join(', '))",
    replace: "log('VTA variables: ' + Object.keys(JSON.parse(data.data_parameters)).join(', '))",
    expectedFailure: 'PAGE-004',
  },
  {
    fault: 'treats the string ids of Agent_Assist_Started as numbers',
    find: '      default:\n        break',
    replace:
      "      case 'Agent_Assist_Started':\n        log('assist for queue ' + data.queue_id.toFixed(0))\n        break\n      default:\n        break",
    expectedFailure: 'PAGE-004',
  },
  {
    fault: 'splits the queue path of End_Chat, which may be null',
    find: "      case 'End_Chat':\n      case 'Dismissed_Chat':\n        text('state', 'ended')",
    replace:
      "      case 'End_Chat':\n        text('queue', data.queue_path.split(' / ').pop())\n        text('state', 'ended')\n        break\n      case 'Dismissed_Chat':\n        text('state', 'ended')",
    expectedFailure: 'PAGE-005',
  },
  {
    fault: 'rejects events with keys the documents do not list',
    find: "    if (!event || typeof event.type !== 'string') return\n    handle(event)",
    replace:
      "    if (!event || typeof event.type !== 'string') return\n    if (Object.keys(event).some(function (k) { return k !== 'type' && k !== 'data' })) throw new Error('unexpected event shape')\n    handle(event)",
    expectedFailure: 'PAGE-005',
  },
  {
    fault: 'listens to messages from every origin',
    find: '    if (message.origin !== ADAPTER_ORIGIN) return\n',
    replace: '',
    expectedFailure: 'PAGE-006',
  },
  {
    fault: 'checks the origin with indexOf, which a look-alike host passes',
    find: '    if (message.origin !== ADAPTER_ORIGIN) return\n',
    replace: '    if (message.origin.indexOf(new URL(ADAPTER_ORIGIN).host) === -1) return\n',
    expectedFailure: 'PAGE-006',
  },
  {
    fault: 'reads recordURL instead of recordUrl',
    find: 'openRecord(data.recordUrl)',
    replace: 'openRecord(data.recordURL)',
    expectedFailure: 'PAGE-007',
  },
]

/** The example script with one fault; throws when the anchor is not there exactly once. */
export function breakScript(script: string, broken: BrokenPage): string {
  const at = script.indexOf(broken.find)
  if (at === -1 || script.indexOf(broken.find, at + 1) !== -1)
    throw new Error(
      `broken page "${broken.fault}": its anchor is not in the example script exactly once`,
    )
  return script.slice(0, at) + broken.replace + script.slice(at + broken.find.length)
}
