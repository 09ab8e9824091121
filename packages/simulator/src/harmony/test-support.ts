import { detectContract } from '@ccai-sim/schemas'
import type { SimulatorRuntime } from '../runtime/simulator-runtime.js'

/*
 * Shared by the Harmony peer's tests (core and transports): strict catalog checking of what the
 * peer sends, and driving a manual session up to the offer on the virtual clock.
 */

/** The catalog contract a message strictly satisfies; throws naming the issues otherwise. */
export function strictContract(message: unknown): string {
  const detection = detectContract(message, { mode: 'strict', families: ['harmony'] })
  if (!detection?.matched) {
    throw new Error(
      `not strict-valid against the Harmony catalog: ${JSON.stringify(message)}\n${JSON.stringify(detection?.result.issues ?? 'no contract')}`,
    )
  }
  return detection.contract.id
}

/** `name@target-suffix` for events, `command:result` for responses: compact order assertions. */
export function label(message: Readonly<Record<string, unknown>>): string {
  if (message['messageType'] === 'objectEvent') {
    const data = message['data'] as Record<string, unknown>
    const state = typeof data['state'] === 'string' ? `(${data['state']})` : ''
    const status = (data['agentStatus'] as Record<string, unknown> | undefined)?.['status']
    return `${String(message['name'])}${state}${typeof status === 'string' ? `[${status}]` : ''}`
  }
  return `${String(message['command'])}:${String(message['result'])}`
}

/** Starts a manual call and moves the virtual clock until routing offers it to `agentId`. */
export async function offerCall(
  runtime: SimulatorRuntime,
  agentId: number,
  seed = 3,
): Promise<number> {
  const session = runtime.startSession({ scenario: 'inbound-ivr-call', seed, agent: 'manual' })
  for (let i = 0; i < 600 && session.machine.offeredTo !== agentId; i += 1) {
    await runtime.advance(1000)
  }
  if (session.machine.offeredTo !== agentId)
    throw new Error(`session ${String(session.id)} was never offered to agent ${String(agentId)}`)
  return session.id
}
