import type { Emission, SessionProjection } from '@ccai-sim/fixtures'
import type { SessionOutcomeEmail } from '@ccai-sim/schemas'
import type { OutgoingMail } from './sinks.js'

/** The SMTP message for an outcome-email emission: JSON body, TXT transcript attached. */
export function outcomeMailOf(emission: Emission, projection: SessionProjection): OutgoingMail {
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
      'X-CCAI-Session-Id': String(projection.story.id),
      'X-CCAI-Session-Type': projection.story.kind,
    },
  }
}
