import { endQuietlyOnClosedPipe } from '@ccai-sim/simulator/cli-support'
import { runContractCli } from './main.js'

endQuietlyOnClosedPipe()

const io = {
  cwd: process.cwd(),
  stdout: (text: string) => process.stdout.write(text),
  stderr: (text: string) => process.stderr.write(text),
  color: process.stdout.isTTY && process.env.NO_COLOR === undefined,
  stdoutIsTerminal: process.stdout.isTTY,
}

try {
  process.exitCode = await runContractCli(process.argv.slice(2), io)
} catch (error) {
  process.stderr.write(
    `ccai-contract: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  )
  process.exitCode = 2
}
