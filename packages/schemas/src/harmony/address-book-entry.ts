import { z } from 'zod'
import { HarmonyAddressBookDestinationSchema } from './address-book-destination.js'

/**
 * The `properties` of an address-book entry: `state` on agent entries, `mediaType` and the optional
 * statistics on skill entries (the document marks the groups with `#agent_properties#` comments).
 * @see seeds/001_6a59e76a77c67195.txt (session.request.incontact.addressbook) — doc-example
 */
export const HarmonyAddressBookEntryPropertiesSchema = z.object({
  state: z.string().nullish(),
  mediaType: z.string().nullish(),
  numAvailable: z.int().nonnegative().nullish(),
  numUnavailable: z.int().nonnegative().nullish(),
  /** Estimated wait time; a string in the document, unit not stated. */
  ewt: z.string().nullish(),
})
export type HarmonyAddressBookEntryProperties = z.infer<
  typeof HarmonyAddressBookEntryPropertiesSchema
>

/**
 * One inContact address-book entry: an external number, an agent or a skill.
 * @see seeds/001_6a59e76a77c67195.txt (session.request.incontact.addressbook) — doc-example
 */
export const HarmonyAddressBookEntrySchema = z.object({
  name: z.string(),
  type: z.enum(['external', 'agent', 'skill']),
  destinations: z.array(HarmonyAddressBookDestinationSchema),
  properties: HarmonyAddressBookEntryPropertiesSchema,
})
export type HarmonyAddressBookEntry = z.infer<typeof HarmonyAddressBookEntrySchema>
