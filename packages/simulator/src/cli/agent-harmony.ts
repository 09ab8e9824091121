import { parseArgs } from 'node:util'
import WebSocket from 'ws'
import { HarmonyBot } from '../harmony/bot.js'
import type { HarmonyOutgoing } from '../harmony/peer.js'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'

export const HARMONY_AGENT_USAGE = `Usage: ccai-sim agent harmony --agent <id> [options]

A scripted agent on a running simulator's Harmony peer (WebSocket /harmony/ws): logs in, goes ready,
answers every call that rings on its channel and releases it once connected; logs out after --calls
calls, or on SIGINT/SIGTERM.
  --url <url>          the simulator (default http://127.0.0.1:4010)
  --agent <id>         the simulator's numeric agent id
  --password <pw>      the agent's password (default "ccai-sim"; harmony.password when configured)
  --calls <n>          log out after n calls (default: keep going)
Exit codes: 0 logged out, 1 the peer refused the login or the connection failed, 2 bad usage.`

function positiveInt(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (!/^[1-9]\d{0,8}$/.test(value))
    throw new UsageError(`--${name}: expected a positive integer, received "${value}"`)
  return Number(value)
}

export async function runHarmonyAgent(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      agent: { type: 'string' },
      password: { type: 'string' },
      calls: { type: 'string' },
    },
  })
  if (positionals[0] !== 'harmony' || positionals.length > 1) {
    throw new UsageError(
      `expected the peer to play: "harmony", received "${positionals.join(' ')}"`,
    )
  }
  const agentId = positiveInt('agent', values.agent)
  if (agentId === undefined) throw new UsageError('--agent: required (a numeric agent id)')
  const calls = positiveInt('calls', values.calls)
  const base = (values.url ?? 'http://127.0.0.1:4010').replace(/\/+$/, '')
  if (!/^https?:\/\//.test(base))
    throw new UsageError(`--url: expected an http(s) URL, received "${base}"`)
  const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/harmony/ws`)
  const bot = new HarmonyBot({
    agentId,
    password: values.password ?? 'ccai-sim',
    calls,
    send: (message) => {
      socket.send(JSON.stringify(message))
    },
    log: (line) => {
      io.stdout(`${line}\n`)
    },
  })
  socket.on('message', (data: Buffer) => {
    bot.receive(JSON.parse(data.toString('utf8')) as HarmonyOutgoing)
  })
  const opened = await new Promise<Error | undefined>((resolve) => {
    socket.once('open', () => {
      resolve(undefined)
    })
    socket.once('error', resolve)
  })
  if (opened) {
    io.stderr(`ccai-sim agent: cannot connect to ${base}/harmony/ws: ${opened.message}\n`)
    return EXIT.failed
  }
  void io.waitForShutdown?.().then(() => {
    bot.stop()
  })
  const closed = new Promise<'closed'>((resolve) =>
    socket.once('close', () => {
      resolve('closed')
    }),
  )
  bot.start()
  const outcome = await Promise.race([bot.done, closed])
  socket.close()
  if (outcome === 'closed')
    io.stderr('ccai-sim agent: the connection closed before the agent logged out\n')
  return outcome === true ? EXIT.ok : EXIT.failed
}
