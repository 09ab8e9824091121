import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { findContract, type CheckIssue } from '@ccai-sim/schemas'
import { parseDocument, readPayloads, type PayloadSource } from '../validate/read-payloads.js'
import { summarize, validatePayloads, type PayloadVerdict } from '../validate/validate-payloads.js'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'

export const VALIDATE_USAGE = `Usage: ccai-sim validate <file|dir|-> [--contract <id>] [--strict] [--json]

Reads JSON (a value, or an array of payloads) and JSON Lines (.jsonl/.ndjson) files, detects each
payload's contract from the catalog (or checks it against --contract), and prints one line per payload.
  --contract <id>  check every payload against this contract (see \`ccai-sim catalog\`)
  --strict         documented keys and primary spellings only (default: tolerant, unknown keys are notes)
  --json           print a JSON report instead of lines
Exit codes: 0 all payloads pass, 1 any fails, 2 bad usage.`

function formatIssue(issue: CheckIssue): string {
  return `    - ${issue.message}`
}

function formatVerdict(verdict: PayloadVerdict): string {
  const contract = verdict.contract ?? '-'
  const tag = verdict.ok ? 'ok  ' : 'FAIL'
  const closest = verdict.how === 'closest' && verdict.contract ? ' (closest match)' : ''
  const lines = [`${tag}  ${verdict.location}  ${contract}${closest}`]
  for (const issue of verdict.issues) lines.push(formatIssue(issue))
  for (const note of verdict.notes) lines.push(`    note: ${note.message}`)
  return lines.join('\n')
}

export async function runValidate(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      contract: { type: 'string' },
      strict: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
    },
  })
  if (positionals.length !== 1) {
    throw new UsageError(
      positionals.length === 0
        ? 'validate needs a file, a folder or - for stdin'
        : `validate takes one path, got ${positionals.length}`,
    )
  }
  const contract = values.contract === undefined ? undefined : findContract(values.contract)
  if (values.contract !== undefined && !contract) {
    throw new UsageError(
      `--contract: no contract with id "${values.contract}" (\`ccai-sim catalog\` lists them)`,
    )
  }
  const target = positionals[0] ?? '-'
  let sources: PayloadSource[]
  if (target === '-') {
    sources = parseDocument(await io.readStdin(), '<stdin>', 'auto')
  } else {
    try {
      sources = await readPayloads(resolve(io.cwd, target), io.cwd)
    } catch (error) {
      const reason =
        error instanceof Error && 'code' in error && error.code === 'ENOENT'
          ? 'no such file or folder'
          : String(error)
      throw new UsageError(`cannot read ${target}: ${reason}`)
    }
  }
  if (sources.length === 0)
    throw new UsageError(`no .json, .jsonl or .ndjson payloads found in ${target}`)
  const mode = values.strict ? 'strict' : 'tolerant'
  const verdicts = validatePayloads(sources, { mode, contract })
  const summary = summarize(verdicts)
  if (values.json) {
    io.stdout(`${JSON.stringify({ mode, summary, payloads: verdicts }, null, 2)}\n`)
  } else {
    for (const verdict of verdicts) io.stdout(`${formatVerdict(verdict)}\n`)
    io.stdout(
      `\n${summary.total} payload${summary.total === 1 ? '' : 's'} (${mode}): ${summary.passed} passed, ${summary.failed} failed, ${summary.notes} note${summary.notes === 1 ? '' : 's'}\n`,
    )
  }
  return summary.failed > 0 ? EXIT.failed : EXIT.ok
}
