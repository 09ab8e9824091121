import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'
import { describeArgsError, nearestName, packageVersion } from './support.js'

export const USAGE = `Usage: ccai-sim <command> [options]

Commands:
  serve                   run the simulator (console, adapter iframe, streams, storage, mail)
  validate <file|dir|->   check captured payloads against the contract catalog
  fixtures <contract-id>  print seeded, valid values of a contract as JSON Lines
  story <scenario>        print one session's projections on every surface
  crm-requests            dry run: the requests the platform would send your CRM for one session
  run <scenario>          run one session's generic-API flow against your CRM, report per step
  replay <journal>        re-run sessions from a journal's inputs; compare with what was published
  export artillery|k6     write a load test of your CRM or webhook receiver (Artillery, k6)
  catalog [--json]        list the contracts
  schemas --out <dir>     write every contract's JSON Schema
  agent harmony|expertflow  a scripted agent on the Harmony or Expertflow peer
  help [command]          show help
  --version               print the version

Run \`ccai-sim help <command>\` for a command's options.`

interface Command {
  readonly usage: string
  readonly run: (args: readonly string[], io: CliIo) => ExitCode | Promise<ExitCode>
}

/*
 * Each command's module is imported only when that command runs: start-up then loads what the
 * command needs (`serve` never loads the validator, `--version` loads nothing).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  serve: async () => {
    const m = await import('./serve-command.js')
    return { usage: m.SERVE_USAGE, run: m.runServe }
  },
  validate: async () => {
    const m = await import('./validate-command.js')
    return { usage: m.VALIDATE_USAGE, run: m.runValidate }
  },
  fixtures: async () => {
    const m = await import('./fixtures-command.js')
    return { usage: m.FIXTURES_USAGE, run: m.runFixtures }
  },
  story: async () => {
    const m = await import('./fixtures-command.js')
    return { usage: m.STORY_USAGE, run: m.runStory }
  },
  'crm-requests': async () => {
    const m = await import('./crm-command.js')
    return { usage: m.CRM_REQUESTS_USAGE, run: m.runCrmRequests }
  },
  run: async () => {
    const m = await import('./crm-command.js')
    return { usage: m.RUN_USAGE, run: m.runRun }
  },
  replay: async () => {
    const m = await import('./replay-command.js')
    return { usage: m.REPLAY_USAGE, run: m.runReplay }
  },
  agent: async () => {
    const m = await import('./agent-command.js')
    return { usage: m.AGENT_USAGE, run: m.runAgent }
  },
  export: async () => {
    const m = await import('./export-command.js')
    return { usage: m.EXPORT_USAGE, run: m.runExport }
  },
  catalog: async () => {
    const m = await import('./catalog-command.js')
    return { usage: m.CATALOG_USAGE, run: m.runCatalog }
  },
  schemas: async () => {
    const m = await import('./catalog-command.js')
    return { usage: m.SCHEMAS_USAGE, run: m.runSchemas }
  },
}

/** Runs the ccai-sim CLI and returns its exit code; never exits the process itself. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const load = rest[0] === undefined ? undefined : COMMANDS[rest[0]]
    io.stdout(`${load ? (await load()).usage : USAGE}\n`)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  if (name === '--version' || name === '-V' || name === 'version') {
    io.stdout(`ccai-sim ${packageVersion(import.meta.url)}\n`)
    return EXIT.ok
  }
  const load = COMMANDS[name]
  if (!load) {
    const near = nearestName(name, Object.keys(COMMANDS))
    const hint = near === undefined ? '' : `; did you mean "${near}"?`
    io.stderr(`ccai-sim: unknown command "${name}"${hint}\n\n${USAGE}\n`)
    return EXIT.usage
  }
  const command = await load()
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`)
    return EXIT.ok
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    const message =
      error instanceof UsageError ? error.message : describeArgsError(error, command.usage, rest)
    if (message !== undefined) {
      io.stderr(`ccai-sim ${name}: ${message}\n\n${command.usage}\n`)
      return EXIT.usage
    }
    throw error
  }
}
