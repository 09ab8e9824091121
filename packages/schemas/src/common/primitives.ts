import { z } from 'zod'

/**
 * Wire primitives shared by several families. Four timestamp formats are in use on the platform
 * (reference §0 and §9.3), so each has its own schema rather than one loose "date" string.
 */

/** ISO 8601 with a `Z` or an offset, milliseconds optional: metadata, REST API, QM call events. */
export const IsoDateTimeSchema = z.iso.datetime({ offset: true })
export type IsoDateTime = z.infer<typeof IsoDateTimeSchema>

/** Epoch seconds as a *string* (`"1727853575"`), as in VTA adapter events. */
export const EpochSecondsStringSchema = z
  .string()
  .regex(/^\d{9,11}$/, 'epoch seconds as a string of digits')
export type EpochSecondsString = z.infer<typeof EpochSecondsStringSchema>

/** Epoch seconds as an integer, as in chat transcript entries. */
export const EpochSecondsSchema = z.int().nonnegative()
export type EpochSeconds = z.infer<typeof EpochSecondsSchema>

/** `"2024-11-15 16:46:31 UTC"`, the human timestamp of `captured_at`. */
export const UtcTimestampTextSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} UTC$/, 'a "YYYY-MM-DD HH:MM:SS UTC" string')
export type UtcTimestampText = z.infer<typeof UtcTimestampTextSchema>

/** `"12:45:15"`, the time-of-day string of `Agent_Assist_Started.timestamp`. */
export const TimeOfDaySchema = z.string().regex(/^\d{2}:\d{2}:\d{2}$/, 'an "HH:MM:SS" time of day')
export type TimeOfDay = z.infer<typeof TimeOfDaySchema>

/** Session, agent, queue and end-user ids: positive integers on most surfaces. */
export const IntegerIdSchema = z.int().positive()
export type IntegerId = z.infer<typeof IntegerIdSchema>

/** An integer id that a surface sends as a string of digits (`"65"` in `Agent_Assist_Started`). */
export const NumericStringIdSchema = z.string().regex(/^\d+$/, 'an id as a string of digits')
export type NumericStringId = z.infer<typeof NumericStringIdSchema>

/** A duration in whole seconds. */
export const DurationSecondsSchema = z.int().nonnegative()
export type DurationSeconds = z.infer<typeof DurationSecondsSchema>

/** `mm:ss`, the generic-API duration variables (`{CALL_DURATION}`, `{HOLD_TIME}`, `{WAIT_TIME}`). */
export const MinutesSecondsSchema = z.string().regex(/^\d{2,}:[0-5]\d$/, 'a "mm:ss" duration')
export type MinutesSeconds = z.infer<typeof MinutesSecondsSchema>

export const UrlSchema = z.url()
export type Url = z.infer<typeof UrlSchema>
