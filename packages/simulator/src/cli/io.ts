import { mkdir, stat, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'

/** What a CLI command may touch; tests pass their own. */
export interface CliIo {
  readonly cwd: string
  readonly stdout: (text: string) => void
  readonly stderr: (text: string) => void
  readonly readStdin: () => Promise<string>
  /** Stdin as it arrives (validate streams it); without it, `readStdin` is read whole. */
  readonly stdinChunks?: () => AsyncIterable<string>
  /** True when stderr is a terminal: long commands then show their progress there. */
  readonly stderrIsTerminal?: boolean
  /** Whether stdout is a terminal: long runs then draw a progress line on stderr. Default false. */
  readonly stdoutIsTerminal?: boolean
  /** Long-running commands (serve) resolve when the process is asked to stop (SIGINT/SIGTERM). */
  readonly waitForShutdown?: () => Promise<string>
  /**
   * Called for every stop signal after the first (while stopping). Hosts keep listening, so a
   * second Ctrl-C never falls through to Node's default handler, which would exit at once.
   */
  readonly onRepeatedSignal?: (listener: (signal: string) => void) => void
}

/** Exit codes of every ccai-sim CLI: success, a contract check failed, bad usage or configuration. */
export const EXIT = { ok: 0, failed: 1, usage: 2 } as const
export type ExitCode = (typeof EXIT)[keyof typeof EXIT]

/** Thrown by command parsers for bad usage; the CLI prints it with the command's usage and exits 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError'
}

/**
 * Writes files (paths relative to `dir`, subfolders made as needed) into the folder the user named
 * with `flag`. A path that is a file, or a folder that cannot be made or written, is bad usage that
 * names the flag and what it was given, not a crash.
 */
export async function writeFilesInto(
  out: { readonly flag: string; readonly given: string; readonly dir: string },
  files: Iterable<{ readonly path: string; readonly content: string }>,
): Promise<void> {
  const { flag, given, dir } = out
  const found = await stat(dir).catch(() => undefined)
  if (found !== undefined && !found.isDirectory())
    throw new UsageError(`${flag}: expected a folder to write to, received "${given}", a file`)
  try {
    for (const file of files) {
      const target = join(dir, file.path)
      await mkdir(dirname(target), { recursive: true })
      await writeFile(target, file.content)
    }
  } catch (error) {
    throw new UsageError(
      `${flag}: cannot write to "${given}": ${error instanceof Error ? error.message : String(error)}`,
    )
  }
}
