/** A captured Agent API message as the contracts check it; see `frames.ts`. */
export interface ExpertflowFrameCandidate {
  readonly event: string
  readonly payload: unknown
}

// socket.io EVENT packet: optional Engine.IO "message" type 4, socket.io type 2, optional
// namespace ("/nsp,"), optional ack id, then the JSON argument list.
const EVENT_PACKET = /^4?2(?:\/[^,[]*,)?\d*(\[[\s\S]*\])$/

/**
 * Turns a captured socket.io EVENT into the `{ event, payload }` frame the expertflow contracts
 * check. Takes either the raw text packet (`42["joinConversation",{"conversationId":"abc333"}]`,
 * with or without namespace and ack id) or the decoded argument list
 * (`["joinConversation", {…}]`). Returns `undefined` for anything else: other packet types,
 * binary events, unparsable JSON, a non-string event name or more than one payload argument.
 */
export function expertflowFrameFromSocketIo(
  packet: string | readonly unknown[],
): ExpertflowFrameCandidate | undefined {
  let args: unknown = packet
  if (typeof packet === 'string') {
    const json = EVENT_PACKET.exec(packet.trim())?.[1]
    if (json === undefined) return undefined
    try {
      args = JSON.parse(json)
    } catch {
      return undefined
    }
  }
  if (!Array.isArray(args) || args.length < 1 || args.length > 2) return undefined
  const [event, payload] = args as [unknown, unknown]
  if (typeof event !== 'string') return undefined
  return { event, payload }
}

/** The arguments to `socket.emit(...)` for a frame: the inverse of `expertflowFrameFromSocketIo`. */
export function socketIoArgsOf(frame: ExpertflowFrameCandidate): [string, unknown] {
  return [frame.event, frame.payload]
}
