import type { Emission, SessionStory } from '@ccai-sim/fixtures'
import type { SessionOutcomeEmail } from '@ccai-sim/schemas'
import type { OutgoingMail } from './sinks.js'

/** The SMTP message for an outcome-email emission: JSON body, TXT transcript attached. */
export function outcomeMailOf(emission: Emission, story: SessionStory): OutgoingMail {
  const email = emission.payload as SessionOutcomeEmail
  return {
    from: email.from,
    to: email.to,
    subject: email.subject,
    date: new Date(emission.at).toISOString(),
    text: email.body,
    attachments: email.attachments.map((a) => ({
      filename: a.filename,
      contentType: a.contentType,
      content: a.content,
    })),
    headers: {
      'X-CCAI-Session-Id': String(story.id),
      'X-CCAI-Session-Type': story.kind,
    },
  }
}
