import { text } from 'node:stream/consumers'
import { runCli } from './main.js'
import { endQuietlyOnClosedPipe } from './support.js'

endQuietlyOnClosedPipe()

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
      process.once('SIGINT', () => {
        resolve('SIGINT')
      })
      process.once('SIGTERM', () => {
        resolve('SIGTERM')
      })
    }),
}

try {
  process.exitCode = await runCli(process.argv.slice(2), io)
} catch (error) {
  process.stderr.write(
    `ccai-sim: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 2
}
