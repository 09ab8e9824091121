import { defineContract, type ContractDefinition } from '../catalog/contract.js'
import { SessionOutcomeEmailSchema } from './session-outcome-email.js'

export {
  OUTCOME_EMAIL_SENDER,
  OUTCOME_EMAIL_DELAY_SECONDS,
  OUTCOME_EMAIL_ATTACHMENT_TEMPLATE,
  OutcomeEmailAttachmentSchema,
  SessionOutcomeEmailSchema,
  parseOutcomeEmailBody,
} from './session-outcome-email.js'
export type {
  OutcomeEmailAttachment,
  SessionOutcomeEmail,
  OutcomeEmailBodyResult,
} from './session-outcome-email.js'
export {
  OUTCOME_EMAIL_RULES,
  OUTCOME_EMAIL_INHERITANCE,
  OUTCOME_EMAIL_STATUSES,
  resolveOutcomeEmail,
  isOutcomeEmailEnabled,
  shouldSendOutcomeEmail,
  decideOutcomeEmail,
} from './outcome-email-rules.js'
export type {
  OutcomeEmailSetting,
  OutcomeEmailSettings,
  OutcomeEmailRule,
  OutcomeEmailInheritanceRow,
  OutcomeEmailDecision,
} from './outcome-email-rules.js'

export const EMAIL_CONTRACTS: readonly ContractDefinition[] = [
  defineContract({
    id: 'email.sessionOutcome',
    family: 'email',
    title: 'Session outcome email (CRM record update by email)',
    direction: { from: 'ccai-platform', to: 'inbox' },
    transport: 'smtp',
    schema: SessionOutcomeEmailSchema,
    source: {
      document: 'seeds/000_2170762ce078838e.txt',
      section:
        'CRM record update by email: Email details; Settings inheritance and overriding (reference §6.2)',
    },
    confidence: 'documented',
    notes:
      'Documented: sender, ~15-minute delay, finished sessions only, subject line, body = session metadata as JSON, ' +
      'TXT transcript attachment when applicable, global/per-queue settings. Inferred: the envelope keys (ccai-sim’s ' +
      'description of the message), the subject wording (undocumented), the attachment file name and content type, ' +
      'and the body being the bare JSON object.',
  }),
]
