import { EXPERTFLOW_AGENT_USAGE, runExpertflowAgent } from './agent-expertflow.js'
import { HARMONY_AGENT_USAGE, runHarmonyAgent } from './agent-harmony.js'
import { UsageError, type CliIo, type ExitCode } from './io.js'
import { nearestName } from './support.js'

/** The peers a scripted agent can play, each with its own options. */
const PEERS = {
  harmony: { usage: HARMONY_AGENT_USAGE, run: runHarmonyAgent },
  expertflow: { usage: EXPERTFLOW_AGENT_USAGE, run: runExpertflowAgent },
} as const

export const AGENT_USAGE = `Usage: ccai-sim agent harmony|expertflow [options]

A scripted agent on a running simulator's agent-desktop peer, so a supervisor view or a second
client has someone to work with.

${HARMONY_AGENT_USAGE}

${EXPERTFLOW_AGENT_USAGE}`

export function runAgent(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const peer = args[0] ?? ''
  const chosen = PEERS[peer as keyof typeof PEERS] as (typeof PEERS)[keyof typeof PEERS] | undefined
  if (chosen === undefined) {
    const near = nearestName(peer, Object.keys(PEERS))
    throw new UsageError(
      `expected the peer to play: harmony or expertflow, received "${peer}"${near ? `; did you mean "${near}"?` : ''}`,
    )
  }
  return chosen.run(args, io)
}
