import { z } from 'zod'
import { harmonyCommand } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.request.incontact.addressbook` (inContact processor): asks for the agent's address books.
 * @see seeds/001_6a59e76a77c67195.txt (session.request.incontact.addressbook) — doc-example
 */
export const HarmonySessionRequestInContactAddressBookCommandSchema = harmonyCommand(
  'session.request.incontact.addressbook',
  HarmonySessionTargetSchema,
  z.object({
    /** Whether to include real-time state (agent states, skill statistics); inferred from the name. */
    realtime: z.boolean(),
  }),
)
export type HarmonySessionRequestInContactAddressBookCommand = z.infer<
  typeof HarmonySessionRequestInContactAddressBookCommandSchema
>
