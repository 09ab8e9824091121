import type { SessionStory, TimedStep } from '@ccai-sim/fixtures'

/*
 * The record updates and the survey comment a session's events cause (seed 000, API record,
 * Update a record endpoint: "It updates the record's title and description. This endpoint also
 * optionally works to update the record according to CCAI Platform events, such as save CSAT
 * rating, call or chat finish events, selected queues, verifying users, and others"; Comment
 * endpoint: "survey questions and answers"; the error-handling page's "Apply wrap-up updates").
 *
 * Decisions where the documents are silent (README, "Known gaps in the platform docs"):
 * - The events are the session's steps: `queued` (a selected queue), `csat` (the rating saved),
 *   `ended`/`abandoned` (the finish), plus `wrap_up`, the update once the files are uploaded (the
 *   one the flow always made). The story has no user-verification step: no such update.
 * - "Optionally": which events update the record is configuration (`crm.updateRecordOn`, default
 *   all of them); `wrap_up` always runs when Update a record is configured.
 * - An update needs `{RECORD_ID}`, so events before the record setup update nothing: a call's queue
 *   is selected before the agent answers, and its record is created with that queue already.
 * - Each update sends the settings' Update a record request with the session's values at that
 *   moment (`{RATING}` from the CSAT on, durations from the finish on).
 * - The survey is the platform's post-session survey whose answers the `csat` step carries: its
 *   questions and answers become one comment, besides the "CSAT rating and comment" one. The
 *   question wording is ours (the documents print none).
 */

/** Why the record is updated. */
export const RECORD_UPDATE_EVENTS = ['queue_selected', 'csat', 'session_end', 'wrap_up'] as const
export type RecordUpdateEvent = (typeof RECORD_UPDATE_EVENTS)[number]

/** The events that may be switched off (`wrap_up` is the flow's own final update). */
export const OPTIONAL_RECORD_UPDATE_EVENTS = ['queue_selected', 'csat', 'session_end'] as const
export type OptionalRecordUpdateEvent = (typeof OPTIONAL_RECORD_UPDATE_EVENTS)[number]

/**
 * The record update a step causes, if any.
 *
 * @example
 * recordUpdateEventOf({ kind: 'csat', rating: 5, feedback: null, at: 0 }) // 'csat'
 */
export function recordUpdateEventOf(step: TimedStep): OptionalRecordUpdateEvent | undefined {
  if (step.kind === 'queued') return 'queue_selected'
  if (step.kind === 'csat') return 'csat'
  if (step.kind === 'ended' || step.kind === 'abandoned') return 'session_end'
  return undefined
}

/** The survey's questions, as the comment prints them (our wording). */
export const SURVEY_QUESTIONS = {
  rating: 'How would you rate your experience today? (1-5)',
  feedback: 'Is there anything else you would like to tell us?',
} as const

/**
 * The "survey questions and answers" comment of a `csat` step: each question, then its answer.
 *
 * @example
 * surveyCommentOf(story, { kind: 'csat', rating: 4, feedback: null, at }) // 'Survey (Call 7):\nQ: How would …'
 */
export function surveyCommentOf(story: SessionStory, step: TimedStep): string | undefined {
  if (step.kind !== 'csat') return undefined
  const label = `${story.kind === 'call' ? 'Call' : 'Chat'} ${String(story.id)}`
  return [
    `Survey questions and answers (${label}):`,
    `Q: ${SURVEY_QUESTIONS.rating}`,
    `A: ${String(step.rating)}`,
    `Q: ${SURVEY_QUESTIONS.feedback}`,
    `A: ${step.feedback ?? '(no answer)'}`,
  ].join('\n')
}
