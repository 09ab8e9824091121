import { parseArgs } from 'node:util'
import { ConfigError, configFilePath, loadConfig } from '../config.js'
import { SimulatorError } from '../errors.js'
import { startSimulator } from '../server.js'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'

export const SERVE_USAGE = `Usage: ccai-sim serve [--config <file.json>] [options]

Runs the simulator: the console at /, the adapter iframe at /agent/?type=chat&from=custom,
SSE at /events, WebSocket at /ws, storage at /storage/, the mailbox at /mail/, the control API at /_sim.
  --config <file>      JSON configuration file, comments allowed (JSONC); flags win over it
  --port <n>           HTTP port (default 4010; 0 picks a free one)
  --host <addr>        listen address (default 127.0.0.1)
  --seed <n>           seed of every generated session (default 1)
  --clock <mode>       realtime | scaled | manual (default scaled)
  --scale <x>          virtual seconds per real second when scaled (default 60)
  --load <n>           continuous load: sessions per virtual minute (default 0)
  --storage-dir <dir>  where the ujet-* folders go (default ./.ccai-sim/storage)
  --no-storage         keep storage in memory only
  --no-email           do not send outcome emails
  --smtp-port <n>      port of the built-in SMTP server (default 0: a free one)
  --sftp-port <n>      serve the storage read-only over SFTP on this port (0: a free one);
                       user and password or keys from storage.serve.sftp in the config file
  --speech <mode>      recordings' sound: tones (default) | espeak-ng | auto (speech when
                       espeak-ng and lame are installed; see storage.media)
  --expertflow         serve the Expertflow agent API at /expertflow/socket.io (peers.expertflow)
  --harmony-tcp-port <n>  serve the Harmony session resource over ~!OM framed TCP on this port
                       (0: a free one); WebSocket /harmony/ws and HTTP /harmony/* always run
Prints one line "ccai-sim ready <url> …" when listening; SIGINT/SIGTERM stop it (exit 0): streams
are closed, pending webhooks and mail stay in the write-ahead logs for the next start. A second
signal cuts in-flight deliveries short, still saves them, and exits 1.
Exit codes: 0 stopped cleanly, 1 stopped early by a second signal (nothing lost), 2 bad usage or
configuration.`

function numberFlag(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (value.trim() === '' || !Number.isFinite(n))
    throw new UsageError(`--${name}: expected a number, received "${value}"`)
  return n
}

/** Flags as a partial configuration: only what was given, so the file and defaults fill the rest. */
function flagsToConfig(
  values: Record<string, string | boolean | undefined>,
): Record<string, unknown> {
  const config: Record<string, unknown> = {}
  const set = (path: readonly string[], value: unknown): void => {
    if (value === undefined) return
    let node = config
    for (const key of path.slice(0, -1)) {
      node[key] ??= {}
      node = node[key] as Record<string, unknown>
    }
    node[path.at(-1) ?? ''] = value
  }
  set(['port'], numberFlag('port', values['port'] as string | undefined))
  set(['host'], values['host'])
  set(['seed'], numberFlag('seed', values['seed'] as string | undefined))
  set(['clock', 'mode'], values['clock'])
  set(['clock', 'scale'], numberFlag('scale', values['scale'] as string | undefined))
  set(['load', 'sessionsPerMinute'], numberFlag('load', values['load'] as string | undefined))
  set(['storage', 'dir'], values['storage-dir'])
  if (values['no-storage'] === true) set(['storage', 'enabled'], false)
  if (values['no-email'] === true) set(['email', 'enabled'], false)
  set(['email', 'builtinPort'], numberFlag('smtp-port', values['smtp-port'] as string | undefined))
  const sftpPort = numberFlag('sftp-port', values['sftp-port'] as string | undefined)
  if (sftpPort !== undefined) set(['storage', 'serve', 'sftp'], { enabled: true, port: sftpPort })
  set(['storage', 'media', 'speech'], values['speech'])
  if (values['expertflow'] === true) set(['peers', 'expertflow', 'enabled'], true)
  set(
    ['harmony', 'tcpPort'],
    numberFlag('harmony-tcp-port', values['harmony-tcp-port'] as string | undefined),
  )
  return config
}

export async function runServe(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      port: { type: 'string' },
      host: { type: 'string' },
      seed: { type: 'string' },
      clock: { type: 'string' },
      scale: { type: 'string' },
      load: { type: 'string' },
      'storage-dir': { type: 'string' },
      'no-storage': { type: 'boolean' },
      'no-email': { type: 'boolean' },
      'smtp-port': { type: 'string' },
      'sftp-port': { type: 'string' },
      speech: { type: 'string' },
      expertflow: { type: 'boolean' },
      'harmony-tcp-port': { type: 'string' },
    },
  })
  if (positionals.length > 0)
    throw new UsageError(`serve takes no positional arguments, got "${positionals.join(' ')}"`)
  let config
  try {
    config = await loadConfig({ file: values.config, flags: flagsToConfig(values), cwd: io.cwd })
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`ccai-sim serve: ${error.detail}\n`)
      return EXIT.usage
    }
    throw error
  }
  let running
  try {
    running = await startSimulator({
      config,
      cwd: io.cwd,
      configFile: configFilePath({ file: values.config, cwd: io.cwd }),
    })
  } catch (error) {
    // A write-ahead log it cannot read (corrupt, or another version's): the file and line, exit 2.
    if (error instanceof SimulatorError && error.code === 'invalid_config') {
      io.stderr(`ccai-sim serve: ${error.message.replace(/^\[simulator\] /, '')}\n`)
      return EXIT.usage
    }
    const { code, port } = error as { code?: unknown; port?: unknown }
    const smtpPort =
      config.email.enabled && config.email.smtp === 'builtin' ? config.email.builtinPort : 0
    // The built-in SMTP server listens first; node's listen error carries the port it tried.
    if ((code === 'EADDRINUSE' || code === 'EACCES') && smtpPort !== 0 && port === smtpPort) {
      io.stderr(
        `ccai-sim serve: --smtp-port: cannot listen on ${config.host}:${smtpPort} for the built-in SMTP server (${code === 'EADDRINUSE' ? 'the port is in use' : 'not allowed'}); choose another with --smtp-port (0 picks a free one)\n`,
      )
      return EXIT.usage
    }
    if (code === 'EADDRINUSE' || code === 'EACCES') {
      io.stderr(
        `ccai-sim serve: port: cannot listen on ${config.host}:${config.port} (${code}); choose another with --port\n`,
      )
      return EXIT.usage
    }
    throw error
  }
  const details = [
    `clock ${config.clock.mode}${config.clock.mode === 'scaled' ? ` x${config.clock.scale}` : ''}`,
    `seed ${config.seed}`,
    `load ${config.load.sessionsPerMinute}/min`,
    running.storageDir ? `storage ${running.storageDir}` : 'storage in memory',
    running.smtpPort
      ? `smtp ${config.host}:${running.smtpPort}`
      : config.email.enabled
        ? 'smtp external'
        : 'email off',
    ...(running.sftpPort === undefined ? [] : [`sftp ${config.host}:${running.sftpPort}`]),
    ...(running.expertflow ? ['expertflow /expertflow/socket.io'] : []),
    ...(running.harmonyTcpPort === undefined
      ? []
      : [`harmony-tcp ${config.host}:${running.harmonyTcpPort}`]),
  ]
  // Listen for SIGINT/SIGTERM before announcing readiness: a supervisor may stop us at once.
  const shutdown = io.waitForShutdown?.() ?? Promise.resolve('none')
  io.stdout(`ccai-sim ready ${running.url} (${details.join(', ')})\n`)
  const signal = await shutdown
  io.stderr(`ccai-sim: stopping (${signal}); a second signal cuts deliveries short\n`)
  // A second signal while stopping hurries (in-flight deliveries are cut short and stay in the
  // write-ahead log) but still waits for the logs to be written; the exit code then says so.
  let hurried: string | undefined
  io.onRepeatedSignal?.((again) => {
    if (hurried === undefined) {
      hurried = again
      io.stderr(`ccai-sim: ${again} again: cutting deliveries short, saving what is pending\n`)
    }
    running.hurry()
  })
  await running.close()
  const pending = running.simulator.deliveries()
  const kept = pending.webhooks.pending + pending.mail.pending
  const where =
    running.stateDir === undefined ? 'not saved: no state folder' : `kept in ${running.stateDir}`
  io.stderr(
    `ccai-sim: stopped (${signal}${hurried === undefined ? '' : `, then ${hurried}`})${kept > 0 ? `; ${kept} pending deliveries ${where}` : ''}\n`,
  )
  return hurried === undefined ? EXIT.ok : EXIT.failed
}
