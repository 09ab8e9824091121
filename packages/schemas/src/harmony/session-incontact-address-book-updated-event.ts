import type { z } from 'zod'
import { HarmonyAddressBooksDataSchema } from './address-book.js'
import { harmonyEvent } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * `session.incontact.addressbook.updated`: the inContact address books changed (the document's description is copied from agentleg.failed, so the meaning is read from the name).
 * @see seeds/001_6a59e76a77c67195.txt (session.incontact.addressbook.updated) — doc-example
 */
export const HarmonySessionInContactAddressBookUpdatedEventSchema = harmonyEvent(
  'session.incontact.addressbook.updated',
  HarmonySessionTargetSchema,
  HarmonyAddressBooksDataSchema,
)
export type HarmonySessionInContactAddressBookUpdatedEvent = z.infer<
  typeof HarmonySessionInContactAddressBookUpdatedEventSchema
>
