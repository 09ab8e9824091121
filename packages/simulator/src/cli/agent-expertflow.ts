import { parseArgs } from 'node:util'
import { io as connect } from 'socket.io-client'
import { EXPERTFLOW_PATH } from '../peers/expertflow-path.js'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'

export const EXPERTFLOW_AGENT_USAGE = `Usage: ccai-sim agent expertflow --url <simulator url> --agent-id <id> [options]

A scripted Expertflow Hybrid Chat agent: connects to the simulator's Expertflow peer
(peers.expertflow.enabled), logs in, goes READY and handles every chat it is offered: joins,
greets the customer, ends the chat after the customer's replies, and wraps up. One line per
event on stdout, so a supervisor view or a second client has someone to work with.
  --url <url>          the simulator, e.g. http://127.0.0.1:4010
  --agent-id <id>      the Expertflow agent id (numeric ids are the roster's agents)
  --mrd <id>           the MRD to log into (default chat)
  --greeting <text>    the first line in each chat (default "Hello, how can I help?")
  --replies <n>        customer messages to wait for before ending a chat (default 1)
  --wrapup <text>      the wrap-up text (default Resolved)
  --chats <n>          stop after this many chats are wrapped up (default: run until stopped)
Exit codes: 0 done or stopped, 1 the connection failed or closed, 2 bad usage.`

interface ChatState {
  replies: number
  ended: boolean
}

function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1)
    throw new UsageError(`--${name}: expected a positive integer, received "${value}"`)
  return n
}

export async function runExpertflowAgent(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'agent-id': { type: 'string' },
      mrd: { type: 'string' },
      greeting: { type: 'string' },
      replies: { type: 'string' },
      wrapup: { type: 'string' },
      chats: { type: 'string' },
    },
  })
  const [protocol, ...extra] = positionals
  if (protocol !== 'expertflow' || extra.length > 0) {
    throw new UsageError(
      `expected the protocol "expertflow" (one positional argument), received "${positionals.join(' ')}"`,
    )
  }
  const url = values.url
  if (url === undefined || !/^https?:\/\//.test(url)) {
    throw new UsageError(`--url: expected an http(s) URL, received ${url ?? 'nothing'}`)
  }
  const agentId = values['agent-id']
  if (agentId === undefined || agentId === '') {
    throw new UsageError('--agent-id: expected an agent id, received nothing')
  }
  const mrd = values.mrd ?? 'chat'
  const greeting = values.greeting ?? 'Hello, how can I help?'
  const replies = positiveInt('replies', values.replies, 1)
  const wrapup = values.wrapup ?? 'Resolved'
  const limit = values.chats === undefined ? Infinity : positiveInt('chats', values.chats, 1)

  const socket = connect(url, { path: EXPERTFLOW_PATH, transports: ['websocket'], forceNew: true })
  const chats = new Map<string, ChatState>()
  let done = 0
  const log = (line: string): void => {
    io.stdout(`${agentId} ${line}\n`)
  }
  const say = (conversationId: string, text: string): void => {
    socket.emit('sendMessage', {
      conversationId,
      type: 'ChatMessage',
      timestamp: new Date().toISOString(),
      channel: 'web',
      from: { id: agentId },
      to: [],
      text,
      attachments: [],
    })
  }
  const end = (conversationId: string, chat: ChatState, byUs: boolean): void => {
    if (chat.ended) return
    chat.ended = true
    if (byUs) socket.emit('endConversation', { conversationId })
    socket.emit('wrapUp', { conversationId, wrapup })
    log(`wrapUp ${conversationId} ${wrapup}`)
  }

  const finished = new Promise<ExitCode>((resolve) => {
    const stop = (code: ExitCode): void => {
      socket.close()
      resolve(code)
    }
    void io.waitForShutdown?.().then(() => {
      stop(EXIT.ok)
    })
    socket.on('connect', () => {
      log('connected')
      socket.emit('amq-sub', { AgentId: agentId })
      socket.emit('login', { agentId, password: '', mrd })
    })
    socket.on('connect_error', (error: Error) => {
      io.stderr(`ccai-sim agent: cannot connect to ${url}${EXPERTFLOW_PATH}: ${error.message}\n`)
      stop(EXIT.failed)
    })
    socket.on('disconnect', (reason: string) => {
      if (reason === 'io client disconnect') return
      io.stderr(`ccai-sim agent: disconnected (${reason})\n`)
      stop(EXIT.failed)
    })
    socket.on('amq-msg', (message: Record<string, unknown>) => {
      if (message['head'] === 'AgentInfo') {
        const state = String(message['State'])
        log(`AgentInfo ${state}`)
        if (state === 'NOT_READY' && done < limit) {
          socket.emit('amq-send', {
            head: 'AgentState',
            AgentId: agentId,
            State: 'READY',
            Mrd: mrd,
            ReasonCode: -1,
          })
        }
        if (state === 'READY' && done >= limit) stop(EXIT.ok)
        return
      }
      if (message['head'] === 'TaskAssigned') {
        const param = message['param'] as { conversationId?: string; chatId?: string }
        const conversationId = param.conversationId ?? param.chatId
        if (conversationId === undefined) return
        log(`TaskAssigned ${conversationId}`)
        chats.set(conversationId, { replies: 0, ended: false })
        socket.emit('joinConversation', { conversationId })
      }
    })
    socket.on('conversationInfo', (info: { conversation: { id?: string }; role: string }) => {
      const conversationId = info.conversation.id
      if (conversationId === undefined || info.role !== 'Owner') return
      log(`joined ${conversationId}`)
      say(conversationId, greeting)
    })
    socket.on(
      'messageArrived',
      (message: { conversationId: string; type: string; from?: { type?: string } }) => {
        const chat = chats.get(message.conversationId)
        if (!chat || message.type !== 'ChatMessage' || message.from?.type !== 'Customer') return
        chat.replies += 1
        log(`customer ${message.conversationId}`)
        if (chat.replies >= replies) end(message.conversationId, chat, true)
      },
    )
    socket.on('endConversation', (payload: { conversationId: string }) => {
      const chat = chats.get(payload.conversationId)
      if (!chat) return
      log(`ended ${payload.conversationId}`)
      end(payload.conversationId, chat, false)
      chats.delete(payload.conversationId)
      done += 1
    })
  })
  return finished
}
