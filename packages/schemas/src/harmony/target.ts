import { z } from 'zod'

/**
 * `target` is a dot path from the session down to the object, the last segment being the object's
 * own id (seed 001, Session Resource page). Ids therefore cannot contain `.`; we also refuse
 * whitespace inside a segment, which no document shows (inferred).
 */
const SEGMENT = '[^.\\s]+'

function pathOf(minSegments: number, maxSegments?: number): RegExp {
  const more =
    maxSegments === undefined ? `{${minSegments - 1},}` : `{${minSegments - 1},${maxSegments - 1}}`
  return new RegExp(`^${SEGMENT}(?:\\.${SEGMENT})${more}$`)
}

/**
 * The target forms of reference §1.3, as regular expressions. A 3-segment path is ambiguous
 * (session.group.channel or session.channel.interaction): only the receiver's object tree tells.
 */
export const HARMONY_TARGET_PATTERNS = {
  /** `<session-id>` */
  session: pathOf(1, 1),
  /** `<session-id>.<channel-group-id>` */
  channelGroup: pathOf(2, 2),
  /** `<session-id>.<channel-id>` or `<session-id>.<channel-group-id>.<channel-id>` */
  channel: pathOf(2, 3),
  /** `<session-id>.<channel-id>.<interaction-id>` or `<session-id>.<channel-group-id>.<channel-id>.<interaction-id>` */
  interaction: pathOf(3, 4),
  /** An interaction target plus the conversation id (inferred: one segment more than an interaction). */
  conversation: pathOf(4, 5),
  /** Any object of the session tree. */
  any: pathOf(1),
} as const

/**
 * Any Harmony `target`: a non-empty dot path whose first segment is the session id.
 * @see seeds/001_6a59e76a77c67195.txt; reference/harmony-and-expertflow.md §1.3 — documented
 */
export const HarmonyTargetSchema = z
  .string()
  .regex(HARMONY_TARGET_PATTERNS.any, 'a dot path of ids starting with the session id')
export type HarmonyTarget = z.infer<typeof HarmonyTargetSchema>

/**
 * A session target, `<session-id>` (the resource id `prepareSession` returns, inferred).
 * @see reference/harmony-and-expertflow.md §1.3 — documented
 */
export const HarmonySessionTargetSchema = z
  .string()
  .regex(HARMONY_TARGET_PATTERNS.session, 'a session id without dots (<session-id>)')
export type HarmonySessionTarget = z.infer<typeof HarmonySessionTargetSchema>

/**
 * A channel-group target, `<session-id>.<channel-group-id>`.
 * @see reference/harmony-and-expertflow.md §1.3 — documented
 */
export const HarmonyChannelGroupTargetSchema = z
  .string()
  .regex(HARMONY_TARGET_PATTERNS.channelGroup, 'a <session-id>.<channel-group-id> path')
export type HarmonyChannelGroupTarget = z.infer<typeof HarmonyChannelGroupTargetSchema>

/**
 * A channel target: standalone `<session-id>.<channel-id>` or grouped `<session-id>.<channel-group-id>.<channel-id>`.
 * @see seeds/001_6a59e76a77c67195.txt (channel.activate) — documented
 */
export const HarmonyChannelTargetSchema = z
  .string()
  .regex(
    HARMONY_TARGET_PATTERNS.channel,
    'a <session-id>.<channel-id> or <session-id>.<channel-group-id>.<channel-id> path',
  )
export type HarmonyChannelTarget = z.infer<typeof HarmonyChannelTargetSchema>

/**
 * An interaction target: a channel target plus `.<interaction-id>`.
 * @see https://openmethodsdev.atlassian.net/wiki/pages/diffpages.action?originalId=2446098531&pageId=2446065799 — documented
 */
export const HarmonyInteractionTargetSchema = z
  .string()
  .regex(
    HARMONY_TARGET_PATTERNS.interaction,
    'a <session-id>[.<channel-group-id>].<channel-id>.<interaction-id> path',
  )
export type HarmonyInteractionTarget = z.infer<typeof HarmonyInteractionTargetSchema>

/**
 * A conversation target: an interaction target plus `.<conversation-id>`.
 * @see reference/harmony-and-expertflow.md §1.3 — inferred
 */
export const HarmonyConversationTargetSchema = z
  .string()
  .regex(
    HARMONY_TARGET_PATTERNS.conversation,
    'a <session-id>[.<channel-group-id>].<channel-id>.<interaction-id>.<conversation-id> path',
  )
export type HarmonyConversationTarget = z.infer<typeof HarmonyConversationTargetSchema>

/** Splits a target into its ids, session id first. */
export function harmonyTargetSegments(target: string): string[] {
  return target.split('.')
}
