import { z } from 'zod'
import {
  HarmonyAddressBookEntrySchema,
  type HarmonyAddressBookEntry,
} from './address-book-entry.js'

/** A group of an address book; groups nest. */
export interface HarmonyAddressBookGroup {
  name: string
  groups: HarmonyAddressBookGroup[]
  entries: HarmonyAddressBookEntry[]
}

/**
 * A (recursive) group of an inContact address book. `z.lazy` rather than a getter keeps the
 * strict/tolerant derivation from recursing forever.
 * @see seeds/001_6a59e76a77c67195.txt (session.request.incontact.addressbook) — doc-example
 */
export const HarmonyAddressBookGroupSchema: z.ZodType<HarmonyAddressBookGroup> = z.object({
  name: z.string(),
  groups: z.array(z.lazy(() => HarmonyAddressBookGroupSchema)),
  entries: z.array(HarmonyAddressBookEntrySchema),
})
