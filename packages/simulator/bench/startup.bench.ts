// Start-up of `ccai-sim serve` from the compiled output (what an installed package runs) against a
// bare node:http server, in the same run: rounds interleave the two so load on the machine hits both
// alike; the medians and their ratio are reported (target: at most 2.5 times the bare server).
import { existsSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import {
  COMPILED_BIN_PATH,
  measureBareStartup,
  measureCompiledStartup,
  type StartupRun,
} from './cli-startup.js'

const ROUNDS = 9
const TARGET_RATIO = 2.5

if (!existsSync(COMPILED_BIN_PATH)) {
  console.error(`no compiled CLI at ${COMPILED_BIN_PATH}: run \`pnpm build\` first`)
  process.exit(2)
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? 0)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2
}

// One warm-up of each (file system cache), not counted.
await measureBareStartup()
await measureCompiledStartup()

const bare: StartupRun[] = []
const sim: StartupRun[] = []
for (let round = 0; round < ROUNDS; round += 1) {
  // Alternate which goes first, so neither always runs right after the other.
  if (round % 2 === 0) {
    bare.push(await measureBareStartup())
    sim.push(await measureCompiledStartup())
  } else {
    sim.push(await measureCompiledStartup())
    bare.push(await measureBareStartup())
  }
}

console.log(
  '\nStart-up to the ready line: `ccai-sim serve --port 0 --clock manual --no-email --no-storage` (dist/) vs a bare node:http server',
)
console.table(
  bare.map((b, i) => ({
    round: i + 1,
    'bare node:http (ms)': Math.round(b.readyMs),
    'ccai-sim serve (ms)': Math.round(sim[i]?.readyMs ?? 0),
    ratio: ((sim[i]?.readyMs ?? 0) / b.readyMs).toFixed(2),
    'bare CPU (ms)': b.readyCpuMs ?? '–',
    'serve CPU (ms)': sim[i]?.readyCpuMs ?? '–',
  })),
)
const bareMedian = median(bare.map((r) => r.readyMs))
const simMedian = median(sim.map((r) => r.readyMs))
const ratio = simMedian / bareMedian
const bareCpu = bare.map((r) => r.readyCpuMs).filter((ms) => ms !== undefined)
const simCpu = sim.map((r) => r.readyCpuMs).filter((ms) => ms !== undefined)
const cpu = cpus()
console.log(
  `machine: node ${process.version}, ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
)
console.log(
  `start-up: ccai-sim serve ${Math.round(simMedian)} ms, bare node:http ${Math.round(bareMedian)} ms ` +
    `(medians of ${ROUNDS} interleaved rounds): ${ratio.toFixed(2)}× ` +
    `(target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
)
if (bareCpu.length > 0 && simCpu.length > 0) {
  const cpuRatio = median(simCpu) / median(bareCpu)
  console.log(
    `CPU time to the ready line (user + system, /proc): ccai-sim serve ${Math.round(median(simCpu))} ms, ` +
      `bare node:http ${Math.round(median(bareCpu))} ms: ${cpuRatio.toFixed(2)}× (less sensitive to the machine's load than wall time)`,
  )
}
