import { z } from 'zod'
import { CustomerSchema } from './customer.js'

/**
 * The `param` of a TaskAssigned message: "customer information and chatId". Which keys carry the
 * customer information is not documented; read here as the Customer object's keys, flat.
 * @see seeds/003_1d4ee430392b9662.txt §receiveChatRequest — inferred
 */
export const TaskAssignedParamSchema = z.object({
  ...CustomerSchema.shape,
  chatId: z.string().nullish(),
  /** Reference §4.2 allows the conversation id under this name as well as `chatId`. */
  conversationId: z.string().nullish(),
})
export type TaskAssignedParam = z.infer<typeof TaskAssignedParamSchema>

/**
 * `amq-msg` with `head: "TaskAssigned"` — the seed's "receiveChatRequest": a customer chat
 * routed to this READY agent, who accepts it with `joinConversation`.
 * @see seeds/003_1d4ee430392b9662.txt §receiveChatRequest — documented
 */
export const AmqMsgTaskAssignedSchema = z.object({
  head: z.literal('TaskAssigned'),
  param: TaskAssignedParamSchema,
})
export type AmqMsgTaskAssigned = z.infer<typeof AmqMsgTaskAssignedSchema>
