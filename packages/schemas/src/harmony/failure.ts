import { z } from 'zod'

/**
 * The `failure` block of a failure response. No list of codes is published, so `code` is any
 * string (the simulator's own codes are in `HARMONY_SIMULATOR_ERROR_CODES`).
 * @see seeds/001_6a59e76a77c67195.txt (Failure Response) — documented
 */
export const HarmonyFailureSchema = z.object({
  code: z.string().min(1),
  message: z.string(),
  /** A stack trace "if applicable". */
  context: z.string().nullish(),
})
export type HarmonyFailure = z.infer<typeof HarmonyFailureSchema>

/**
 * Failure codes the simulator emits. Invented by us (reference §1.7): the platform publishes none.
 */
export const HARMONY_SIMULATOR_ERROR_CODES = [
  'SESSION_NOT_STARTED',
  'INVALID_TARGET',
  'CHANNEL_NOT_ACTIVE',
  'CHANNEL_ALREADY_ACTIVE',
  'CHANNEL_ALREADY_INACTIVE',
  'ONGOING_INTERACTION',
  'REASON_REQUIRED',
  'UNSUPPORTED',
  'NO_CONSULT_CALL',
  'CTI_ERROR',
  // prepareSession and transport-level refusals (the peer's own, like the rest of this list)
  'INVALID_REQUEST',
  'INVALID_CREDENTIALS',
  'UNKNOWN_AGENT',
  'ALREADY_BOUND',
] as const
export type HarmonySimulatorErrorCode = (typeof HARMONY_SIMULATOR_ERROR_CODES)[number]
