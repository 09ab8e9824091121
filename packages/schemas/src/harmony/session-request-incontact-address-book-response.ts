import type { z } from 'zod'
import { HarmonyAddressBooksDataSchema } from './address-book.js'
import { harmonySuccessResponse } from './envelope.js'
import { HarmonySessionTargetSchema } from './target.js'

/**
 * The success response of `session.request.incontact.addressbook`, carrying the address books. The document shows `command` with a leading space, accepted in tolerant mode.
 * @see seeds/001_6a59e76a77c67195.txt (session.request.incontact.addressbook, Success Response) — doc-example
 */
export const HarmonySessionRequestInContactAddressBookResponseSchema = harmonySuccessResponse(
  'session.request.incontact.addressbook',
  HarmonySessionTargetSchema,
  HarmonyAddressBooksDataSchema,
)
export type HarmonySessionRequestInContactAddressBookResponse = z.infer<
  typeof HarmonySessionRequestInContactAddressBookResponseSchema
>
