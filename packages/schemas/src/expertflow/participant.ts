import { z } from 'zod'
import { tolerantOnly } from '../internal/modes.js'

/**
 * What kind of party a participant is.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Participant Object — documented
 */
export const ParticipantTypeSchema = z.enum(['Agent', 'Supervisor', 'Bot', 'Customer'])
export type ParticipantType = z.infer<typeof ParticipantTypeSchema>

/**
 * A participant's role in a conversation: the first agent to join is the `Owner`; `transferChat`
 * moves the role (announced by `RoleUpdated`).
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Participant Object — documented
 */
export const ParticipantRoleSchema = z.enum(['Owner', 'Participant'])
export type ParticipantRole = z.infer<typeof ParticipantRoleSchema>

/**
 * A participant's availability as shown to the others.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Participant Object — documented
 */
export const ParticipantStatusSchema = z.enum(['Ready', 'Active', 'Busy'])
export type ParticipantStatus = z.infer<typeof ParticipantStatusSchema>

/**
 * A party of a conversation who can send or receive messages. The seed's table lists only
 * `displayName`, `type`, `Role` and `status`, but its examples and prose address participants by
 * `id`/`name` (ChatMessage `from`/`to`), `agentId` (addParticipant) and `id`/`name`/`state`
 * (teamInfo), so those keys are here too and every key is optional.
 * @see seeds/003_1d4ee430392b9662.txt §Schema › Participant Object — documented
 */
export const ParticipantSchema = z.object({
  id: z.string().nullish(),
  name: z.string().nullish(),
  /** addParticipant: "participant object having participant information such as agentId". */
  agentId: z.string().nullish(),
  displayName: z.string().nullish(),
  type: ParticipantTypeSchema.nullish(),
  role: ParticipantRoleSchema.nullish(),
  /** The Participant table spells it `Role`; the Agent and Supervisor tables spell it `role`. */
  Role: tolerantOnly(ParticipantRoleSchema.nullish()),
  status: ParticipantStatusSchema.nullish(),
  /** teamInfo members carry a `state`; its vocabulary is not documented (probably an MRD agent state). */
  state: z.string().nullish(),
})
export type Participant = z.infer<typeof ParticipantSchema>
