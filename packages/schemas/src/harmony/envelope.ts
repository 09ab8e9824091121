import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'
import { HarmonyFailureSchema } from './failure.js'
import { HarmonyMessageContextSchema } from './message-context.js'
import { HarmonyTargetSchema } from './target.js'

/**
 * The Session Resource envelopes (reference §1.4). Requests and responses carry no `messageType`
 * and no request id in the documents: a response is matched to its request by `command` + `target`.
 */

/** Any `data` whose contents the documents do not show. */
export const HarmonyOpenDataSchema = z.record(z.string(), z.unknown())
export type HarmonyOpenData = z.infer<typeof HarmonyOpenDataSchema>

/**
 * Any Session Resource request, `{ command, target, data?, context? }`; `data` may be absent
 * (`session.start`).
 * @see seeds/001_6a59e76a77c67195.txt; reference/harmony-and-expertflow.md §1.4 — documented
 */
export const HarmonyRequestSchema = z.object({
  command: z.string().min(1),
  target: HarmonyTargetSchema,
  data: HarmonyOpenDataSchema.nullish(),
  context: HarmonyMessageContextSchema.nullish(),
})
export type HarmonyRequest = z.infer<typeof HarmonyRequestSchema>

/**
 * Any success response: `result: "success"` and, for most commands, `data` echoing the request's.
 * `command` is any string because the documents show some with a leading space
 * (`" session.request.incontact.addressbook"`).
 * @see seeds/001_6a59e76a77c67195.txt (Success Response) — documented
 */
export const HarmonySuccessResponseSchema = z.object({
  command: z.string().min(1),
  target: HarmonyTargetSchema,
  result: z.literal('success'),
  data: HarmonyOpenDataSchema.nullish(),
  context: HarmonyMessageContextSchema.nullish(),
})
export type HarmonySuccessResponse = z.infer<typeof HarmonySuccessResponseSchema>

/**
 * Any failure response: `result: "failure"`, the `failure` block, and the whole request echoed
 * back in `original`.
 * @see seeds/001_6a59e76a77c67195.txt (Failure Response) — documented
 */
export const HarmonyFailureResponseSchema = z.object({
  command: z.string().min(1),
  target: HarmonyTargetSchema,
  result: z.literal('failure'),
  failure: HarmonyFailureSchema,
  original: HarmonyRequestSchema,
  context: HarmonyMessageContextSchema.nullish(),
})
export type HarmonyFailureResponse = z.infer<typeof HarmonyFailureResponseSchema>

/**
 * Any object event, `{ messageType: "objectEvent", target, name, data }`.
 * @see seeds/001_6a59e76a77c67195.txt (Session Management Events) — documented
 */
export const HarmonyObjectEventSchema = z.object({
  messageType: z.literal('objectEvent'),
  target: HarmonyTargetSchema,
  name: z.string().min(1),
  data: HarmonyOpenDataSchema,
  context: HarmonyMessageContextSchema.nullish(),
})
export type HarmonyObjectEvent = z.infer<typeof HarmonyObjectEventSchema>

/** Builds the schema of one command: its exact wire `command`, its target form and its `data`. */
export function harmonyCommand<C extends string, T extends z.ZodType, D extends z.ZodType>(
  command: C,
  target: T,
  data: D,
) {
  return z.object({
    command: z.literal(command),
    target,
    data,
    context: HarmonyMessageContextSchema.nullish(),
  })
}

/**
 * The exact `command` of a response, plus the leading-space spelling the documents show on some
 * responses (`" interaction.request.recording.stop"`), accepted in tolerant mode only.
 */
export function harmonyResponseCommand<C extends string>(command: C) {
  return z.union([z.literal(command), tolerantOnly(z.literal(` ${command}`))])
}

/** Builds the schema of one command's success response with its typed `data`. */
export function harmonySuccessResponse<C extends string, T extends z.ZodType, D extends z.ZodType>(
  command: C,
  target: T,
  data: D,
) {
  return z.object({
    command: harmonyResponseCommand(command),
    target,
    result: z.literal('success'),
    data,
    context: HarmonyMessageContextSchema.nullish(),
  })
}

/** Builds the schema of one command's failure response, `original` being that command's request. */
export function harmonyFailureResponse<C extends string, T extends z.ZodType, R extends z.ZodType>(
  command: C,
  target: T,
  original: R,
) {
  return z.object({
    command: harmonyResponseCommand(command),
    target,
    result: z.literal('failure'),
    failure: HarmonyFailureSchema,
    original,
    context: HarmonyMessageContextSchema.nullish(),
  })
}

/** Builds the schema of one object event: its exact `name`, its target form and its `data`. */
export function harmonyEvent<N extends string, T extends z.ZodType, D extends z.ZodType>(
  name: N,
  target: T,
  data: D,
) {
  return z.object({
    messageType: z.literal('objectEvent'),
    target,
    name: z.literal(name),
    data,
    context: HarmonyMessageContextSchema.nullish(),
  })
}
