import { z } from 'zod'

/** The channels the 2018 API Developer Guide names for customer chats. */
export const KNOWN_EXPERTFLOW_CHANNELS = ['web', 'fb', 'sms', 'twitter'] as const

/**
 * The channel a customer chats on. Third-party connectors register their own channel names
 * (`registerConnector {id, name, channel}`), so the known list is open and any string passes.
 * @see seeds/003_1d4ee430392b9662.txt (ChatMessage `channel`, Customer Object) and
 *   https://docs.expertflow.com/chat/3.15/customer-channel-api (reference §2.1) — documented
 */
export const ExpertflowChannelSchema = z.union([z.enum(KNOWN_EXPERTFLOW_CHANNELS), z.string()])
export type ExpertflowChannel = z.infer<typeof ExpertflowChannelSchema>
