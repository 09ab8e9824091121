import { text } from 'node:stream/consumers'
import { runCli } from './main.js'
import { endQuietlyOnClosedPipe } from './support.js'

endQuietlyOnClosedPipe()

// Stop signals: the first starts the shutdown; later ones go to the command (never to Node's default
// handler, which would kill the process mid-persistence). `process.on`, not `once`, for that reason.
let signals = 0
let firstSignal: ((signal: string) => void) | undefined
const repeatedListeners: ((signal: string) => void)[] = []
/** Repeated signals that came before the command listened for them (the same tick as the first). */
const unheard: string[] = []
const stopSignal = (signal: string): void => {
  signals += 1
  if (signals === 1) firstSignal?.(signal)
  else if (repeatedListeners.length === 0) unheard.push(signal)
  else for (const listener of repeatedListeners) listener(signal)
}

const io = {
  cwd: process.cwd(),
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
  readStdin: () => text(process.stdin),
  stdinChunks: () => process.stdin.setEncoding('utf8') as AsyncIterable<string>,
  stderrIsTerminal: process.stderr.isTTY,
  stdoutIsTerminal: process.stdout.isTTY,
  waitForShutdown: () =>
    new Promise<string>((resolve) => {
      firstSignal = resolve
      process.on('SIGINT', stopSignal)
      process.on('SIGTERM', stopSignal)
    }),
  onRepeatedSignal: (listener: (signal: string) => void) => {
    repeatedListeners.push(listener)
    for (const signal of unheard.splice(0)) listener(signal)
  },
}

// No top-level await: the compiled bin is a CommonJS bundle (see ./launch.ts).
runCli(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(
      `ccai-sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    )
    process.exitCode = 2
  },
)
