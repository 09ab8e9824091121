import { z } from 'zod'

/**
 * The four Processor Bridge message types: the bridge (inside HIS) sends queries and requests to the
 * CTI plug-in, which sends responses and events back.
 */
export const HARMONY_BRIDGE_MESSAGE_TYPES = [
  'cti.query',
  'cti.request',
  'cti.response',
  'cti.event',
] as const
export type HarmonyBridgeMessageType = (typeof HARMONY_BRIDGE_MESSAGE_TYPES)[number]

/**
 * The `header` of a southbound Processor Bridge message (HIS ↔ CTI plug-in, length-prefixed JSON
 * over TCP).
 * @see https://openmethodsdev.atlassian.net/wiki/spaces/HAR/pages/2445869057/Processor+Bridge — documented
 */
export const HarmonyBridgeHeaderSchema = z.object({
  type: z.enum(HARMONY_BRIDGE_MESSAGE_TYPES),
  /** The message name, `<object>.query.*` / `<object>.request.*` / event names. */
  name: z.string().min(1),
  /** The destination (channel group, channel, interaction, conversation) the message concerns. */
  target: z.string().min(1),
  /** A GUID pairing a response with its query or request. */
  requestId: z.guid().nullish(),
  /** On responses only. */
  result: z.enum(['SUCCESS', 'FAILURE']).nullish(),
  /** Human-readable, may be shown to the agent; on failures. */
  errorMessage: z.string().nullish(),
})
export type HarmonyBridgeHeader = z.infer<typeof HarmonyBridgeHeaderSchema>

/** Builds a bridge message schema with a fixed header `type`, a `name` schema and a `body` schema. */
export function harmonyBridgeMessage<
  T extends HarmonyBridgeMessageType,
  N extends z.ZodType<string>,
  B extends z.ZodType,
>(type: T, name: N, body: B) {
  return z.object({
    header: HarmonyBridgeHeaderSchema.extend({ type: z.literal(type), name }),
    body,
  })
}

/** Builds a bridge response schema: `result` is required on responses. */
export function harmonyBridgeResponse<N extends z.ZodType<string>, B extends z.ZodType>(
  name: N,
  body: B,
) {
  return z.object({
    header: HarmonyBridgeHeaderSchema.extend({
      type: z.literal('cti.response'),
      name,
      result: z.enum(['SUCCESS', 'FAILURE']),
    }),
    body,
  })
}
