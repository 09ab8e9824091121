import { z } from 'zod'

/**
 * One dialable destination of an inContact address-book entry.
 * @see seeds/001_6a59e76a77c67195.txt (session.request.incontact.addressbook) — doc-example
 */
export const HarmonyAddressBookDestinationSchema = z.object({
  label: z.string(),
  value: z.string(),
})
export type HarmonyAddressBookDestination = z.infer<typeof HarmonyAddressBookDestinationSchema>
