import { readFile } from 'node:fs/promises'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { ConfigError, loadConfig } from '../config.js'
import { JournalFormatError, parseJournal, replayJournal } from '../runtime/replay-journal.js'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'

export const REPLAY_USAGE = `Usage: ccai-sim replay <journal|-> [--session N]... [--config FILE] [--json]

Re-runs sessions from the inputs a journal recorded (the script, agents' commands, API clients'
calls, the CRM's answers, timers) through the session machine, with no I/O, and compares every
replayed emission with the one the journal says was published, byte for byte.
The journal: what GET /_sim/journal answers (save it with curl), a JSON array or JSON Lines of
its entries; - reads stdin.
  --session <n>    only this session (repeatable; default: every session the journal holds)
  --config <file>  the simulator configuration the sessions ran with (its outcome-email settings
                   shape the email emissions; default: the built-in defaults)
  --json           one JSON document instead of a line per session
Exit codes: 0 every session replayed identically, 1 a session differs or cannot be replayed, 2 bad
usage or an unreadable journal.`

export async function runReplay(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      session: { type: 'string', multiple: true },
      config: { type: 'string' },
      json: { type: 'boolean' },
    },
  })
  const [file, ...extra] = positionals
  if (file === undefined) throw new UsageError('replay needs a journal file (or - for stdin)')
  if (extra.length > 0) throw new UsageError(`replay takes one journal, got ${positionals.length}`)
  const sessions = values.session?.map((value) => {
    if (!/^[1-9]\d{0,14}$/.test(value))
      throw new UsageError(
        `--session: expected a session id (a positive integer), received "${value}"`,
      )
    return Number(value)
  })
  let email
  try {
    email = (await loadConfig({ file: values.config, flags: {}, cwd: io.cwd })).email.outcome
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message)
    throw error
  }
  let text: string
  if (file === '-') text = await io.readStdin()
  else {
    try {
      text = await readFile(resolve(io.cwd, file), 'utf8')
    } catch (error) {
      throw new UsageError(
        `${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`,
      )
    }
  }
  let results
  try {
    const source = file === '-' ? '<stdin>' : file
    results = replayJournal(parseJournal(text, source), {
      email,
      ...(sessions === undefined ? {} : { sessions }),
    })
  } catch (error) {
    if (error instanceof JournalFormatError) throw new UsageError(error.message)
    throw error
  }
  if (results.length === 0) throw new UsageError(`${file}: the journal holds no session`)
  const ok = results.every((r) => r.identical)
  if (values.json) {
    io.stdout(`${JSON.stringify({ identical: ok, sessions: results }, null, 2)}\n`)
  } else {
    for (const r of results) {
      const head = `session ${r.sessionId} (${r.scenario}, seed ${r.seed}): ${r.inputs} inputs, ${r.emissions} emissions`
      if (r.identical) io.stdout(`ok    ${head}, replayed identically\n`)
      else if (r.problem !== undefined) io.stdout(`FAIL  ${head}: ${r.problem}\n`)
      else {
        io.stdout(`FAIL  ${head}: emission ${(r.firstDifference?.index ?? 0) + 1} differs\n`)
        io.stdout(`    journal:  ${r.firstDifference?.journal ?? '(nothing)'}\n`)
        io.stdout(`    replayed: ${r.firstDifference?.replayed ?? '(nothing)'}\n`)
      }
    }
    const same = results.filter((r) => r.identical).length
    io.stdout(`\n${results.length} sessions: ${same} identical, ${results.length - same} not\n`)
  }
  return ok ? EXIT.ok : EXIT.failed
}
