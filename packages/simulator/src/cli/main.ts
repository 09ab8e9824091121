import { AGENT_USAGE, runAgent } from './agent-command.js'
import { CATALOG_USAGE, runCatalog, runSchemas, SCHEMAS_USAGE } from './catalog-command.js'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'
import { CRM_REQUESTS_USAGE, RUN_USAGE, runCrmRequests, runRun } from './crm-command.js'
import { FIXTURES_USAGE, runFixtures, runStory, STORY_USAGE } from './fixtures-command.js'
import { EXPORT_USAGE, runExport } from './export-command.js'
import { runServe, SERVE_USAGE } from './serve-command.js'
import { runValidate, VALIDATE_USAGE } from './validate-command.js'

export const USAGE = `Usage: ccai-sim <command> [options]

Commands:
  serve                   run the simulator (console, adapter iframe, streams, storage, mail)
  agent harmony           a scripted agent on a running simulator's Harmony peer
  validate <file|dir|->   check captured payloads against the contract catalog
  fixtures <contract-id>  print seeded, valid values of a contract as JSON Lines
  story <scenario>        print one session's projections on every surface
  crm-requests            dry run: the requests the platform would send your CRM for one session
  run <scenario>          run one session's generic-API flow against your CRM, report per step
  export artillery|k6     write a load test of your CRM or webhook receiver (Artillery, k6)
  catalog [--json]        list the contracts
  schemas --out <dir>     write every contract's JSON Schema
  help [command]          show help

Run \`ccai-sim help <command>\` for a command's options.`

const COMMANDS: Record<
  string,
  { usage: string; run: (args: readonly string[], io: CliIo) => ExitCode | Promise<ExitCode> }
> = {
  serve: { usage: SERVE_USAGE, run: runServe },
  agent: { usage: AGENT_USAGE, run: runAgent },
  validate: { usage: VALIDATE_USAGE, run: runValidate },
  fixtures: { usage: FIXTURES_USAGE, run: runFixtures },
  story: { usage: STORY_USAGE, run: runStory },
  'crm-requests': { usage: CRM_REQUESTS_USAGE, run: runCrmRequests },
  run: { usage: RUN_USAGE, run: runRun },
  export: { usage: EXPORT_USAGE, run: runExport },
  catalog: { usage: CATALOG_USAGE, run: runCatalog },
  schemas: { usage: SCHEMAS_USAGE, run: runSchemas },
}

/** Runs the ccai-sim CLI and returns its exit code; never exits the process itself. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const [name, ...rest] = argv
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    const topic = rest[0] === undefined ? undefined : COMMANDS[rest[0]]
    io.stdout(`${topic ? topic.usage : USAGE}\n`)
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  const command = COMMANDS[name]
  if (!command) {
    io.stderr(`ccai-sim: unknown command "${name}"\n\n${USAGE}\n`)
    return EXIT.usage
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.stdout(`${command.usage}\n`)
    return EXIT.ok
  }
  try {
    return await command.run(rest, io)
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.stderr(`ccai-sim ${name}: ${error.message}\n\n${command.usage}\n`)
      return EXIT.usage
    }
    throw error
  }
}
