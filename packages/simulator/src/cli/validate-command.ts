import { parseArgs } from 'node:util'
import { stat } from 'node:fs/promises'
import { resolve } from 'node:path'
import { CATALOG, findContract, type CheckIssue } from '@ccai-sim/schemas'
import { streamDocument, streamPayloads, type PayloadSource } from '../validate/read-payloads.js'
import {
  acceptedContract,
  acceptedVerdict,
  SummaryCounter,
  validatePayload,
  type PayloadVerdict,
  type ValidateOptions,
} from '../validate/validate-payloads.js'
import { EXIT, UsageError, type CliIo, type ExitCode } from './io.js'
import { didYouMean } from './support.js'

export const VALIDATE_USAGE = `Usage: ccai-sim validate <file|dir|-> [--contract <id>] [--strict] [--json] [--failures]

Reads JSON (a value, or an array of payloads) and JSON Lines (.jsonl/.ndjson) files, detects each
payload's contract from the catalog (or checks it against --contract), and prints one line per payload.
JSON Lines stream: a file of any size is checked in constant memory. A type that names no contract
is reported as unknown, with the nearest known type; a bare QM item (no {type, item} envelope) is
recognised with a note (--strict fails it).
  --contract <id>  check every payload against this contract (see \`ccai-sim catalog\`)
  --strict         documented keys and primary spellings only (default: tolerant, unknown keys are notes)
  --json           print a JSON report instead of lines
  --failures       print only the payloads that fail, then the summary
Exit codes: 0 all payloads pass, 1 any fails, 2 bad usage.`

function formatIssue(issue: CheckIssue): string {
  return `    - ${issue.message}`
}

function formatVerdict(verdict: PayloadVerdict): string {
  const contract = verdict.contract ?? '-'
  const tag = verdict.ok ? 'ok  ' : 'FAIL'
  const closest =
    verdict.how === 'closest' && verdict.contract
      ? ' (closest match)'
      : verdict.how === 'unknown-type'
        ? ' (unknown type)'
        : ''
  const lines = [`${tag}  ${verdict.location}  ${contract}${closest}`]
  for (const issue of verdict.issues) lines.push(formatIssue(issue))
  for (const note of verdict.notes) lines.push(`    note: ${note.message}`)
  return lines.join('\n')
}

/** Output is gathered and written in slices this large: one write per line cost more than the check. */
const FLUSH_CHARS = 1 << 16
/** On a terminal, progress is shown every this many payloads. */
const PROGRESS_EVERY = 20_000

/** Writes text in large slices; `flush` writes what is left. */
function bufferedWriter(write: (text: string) => void): {
  write: (text: string) => void
  flush: () => void
} {
  let pending = ''
  return {
    write(text) {
      pending += text
      if (pending.length >= FLUSH_CHARS) {
        write(pending)
        pending = ''
      }
    },
    flush() {
      if (pending !== '') write(pending)
      pending = ''
    },
  }
}

async function* oneChunk(text: Promise<string>): AsyncGenerator<string> {
  yield await text
}

export async function runValidate(args: readonly string[], io: CliIo): Promise<ExitCode> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      contract: { type: 'string' },
      strict: { type: 'boolean', default: false },
      json: { type: 'boolean', default: false },
      failures: { type: 'boolean', default: false },
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
      `--contract: no contract with id "${values.contract}"${didYouMean(
        values.contract,
        CATALOG.map((c) => c.id),
      )} (\`ccai-sim catalog\` lists them)`,
    )
  }
  const target = positionals[0] ?? '-'
  let batches: AsyncIterable<PayloadSource[]>
  if (target === '-') {
    const chunks = io.stdinChunks ? io.stdinChunks() : oneChunk(io.readStdin())
    batches = streamDocument(chunks, '<stdin>')
  } else {
    const path = resolve(io.cwd, target)
    try {
      await stat(path)
    } catch (error) {
      const reason =
        error instanceof Error && 'code' in error && error.code === 'ENOENT'
          ? 'no such file or folder'
          : String(error)
      throw new UsageError(`cannot read ${target}: ${reason}`)
    }
    batches = streamPayloads(path, io.cwd)
  }
  const mode = values.strict ? 'strict' : 'tolerant'
  const out = bufferedWriter(io.stdout)
  const counter = new SummaryCounter()
  const progress = io.stderrIsTerminal === true
  // The JSON report is written as it goes: its opening waits for the first payload, so a usage
  // error (nothing to check) prints no half report.
  let written = 0
  const jsonHead = `{\n  "mode": "${mode}",\n  "payloads": [`
  const options: ValidateOptions = { mode, contract }
  for await (const batch of batches) {
    for (const source of batch) {
      // A clean payload (most of a capture) is counted and printed without a verdict object.
      const accepted =
        source.kind === 'payload' ? acceptedContract(source.value, options) : undefined
      if (accepted !== undefined) {
        counter.pass(accepted)
        if (values.failures) continue
        if (!values.json) {
          out.write(`ok    ${source.location}  ${accepted}\n`)
          continue
        }
      }
      const verdict =
        accepted === undefined
          ? validatePayload(source, options)
          : { location: source.location, ...acceptedVerdict(accepted, options) }
      if (accepted === undefined) counter.add(verdict)
      if (values.failures && verdict.ok) continue
      if (values.json) {
        const item = JSON.stringify(verdict, null, 2).replaceAll('\n', '\n    ')
        out.write(`${written === 0 ? jsonHead : ','}\n    ${item}`)
        written += 1
      } else {
        out.write(`${formatVerdict(verdict)}\n`)
      }
    }
    if (progress && counter.count % PROGRESS_EVERY < batch.length) {
      out.flush()
      io.stderr(`\r${counter.count.toLocaleString('en-US')} payloads checked…`)
    }
  }
  if (progress) io.stderr('\r\u001b[K')
  if (counter.count === 0)
    throw new UsageError(`no .json, .jsonl or .ndjson payloads found in ${target}`)
  const summary = counter.summary()
  if (values.json) {
    const summaryJson = JSON.stringify(summary, null, 2).replaceAll('\n', '\n  ')
    out.write(`${written === 0 ? `${jsonHead}]` : '\n  ]'},\n  "summary": ${summaryJson}\n}\n`)
  } else {
    out.write(
      `\n${summary.total} payload${summary.total === 1 ? '' : 's'} (${mode}): ${summary.passed} passed, ${summary.failed} failed, ${summary.notes} note${summary.notes === 1 ? '' : 's'}\n`,
    )
  }
  out.flush()
  return summary.failed > 0 ? EXIT.failed : EXIT.ok
}
