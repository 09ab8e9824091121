import { z } from 'zod'
import { HarmonyAddressBookEntrySchema } from './address-book-entry.js'
import { HarmonyAddressBookGroupSchema } from './address-book-group.js'

/**
 * One inContact address book with its groups and top-level entries.
 * @see seeds/001_6a59e76a77c67195.txt (session.request.incontact.addressbook) — doc-example
 */
export const HarmonyAddressBookSchema = z.object({
  name: z.string(),
  groups: z.array(HarmonyAddressBookGroupSchema),
  entries: z.array(HarmonyAddressBookEntrySchema),
})
export type HarmonyAddressBook = z.infer<typeof HarmonyAddressBookSchema>

/**
 * The `data` of the address-book success response and of `session.incontact.addressbook.updated`.
 * @see seeds/001_6a59e76a77c67195.txt (session.request.incontact.addressbook) — doc-example
 */
export const HarmonyAddressBooksDataSchema = z.object({
  addressbooks: z.array(HarmonyAddressBookSchema),
})
export type HarmonyAddressBooksData = z.infer<typeof HarmonyAddressBooksDataSchema>
