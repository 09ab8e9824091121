import { cpus } from 'node:os'
import type { CrmIntegrationSettings } from '@ccai-sim/schemas'
import { MOCK_CRM_DIALECTS, startSimulator } from '@ccai-sim/simulator'
import { runCrmSuite } from '../src/crm/crm-suite.js'
import type { SuiteResult } from '../src/core/types.js'

/*
 * The whole CRM provider suite against a local CRM (the simulator's mock CRM over real HTTP on
 * 127.0.0.1), several runs per dialect, with the median duration set against the target:
 * under 5 s. Run through `pnpm bench` (or `pnpm --filter @ccai-sim/contract-tests bench`).
 * Exits 1 when the median misses the target or a clause fails (then the timing means nothing).
 */

const RUNS = 7
const TARGET_MS = 5_000

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1
    ? (sorted[mid] ?? 0)
    : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2
}

function ms(value: number): string {
  return `${Math.round(value)} ms`
}

let ok = true
console.log(
  `CRM suite bench: ${RUNS} runs per dialect against the simulator's mock CRM on 127.0.0.1 (node ${process.version}, ${cpus().length} cores)`,
)
for (const dialect of MOCK_CRM_DIALECTS) {
  const sim = await startSimulator({
    config: {
      port: 0,
      clock: { mode: 'manual' },
      email: { enabled: false },
      storage: { enabled: false },
      crm: { mock: { dialect } },
    },
  })
  try {
    // The simulator's own settings for its mock CRM (API key included).
    const response = await fetch(`${sim.url}/_sim/crm/settings?secrets=include`)
    const settings = (await response.json()) as CrmIntegrationSettings
    const durations: number[] = []
    let last: SuiteResult | undefined
    for (let run = 0; run < RUNS; run++) {
      const started = performance.now()
      const result = await runCrmSuite({ settings, seed: run + 1 })
      durations.push(performance.now() - started)
      last = result
      if (result.summary.failed > 0) {
        const failed = result.clauses.filter((c) => c.status === 'failed').map((c) => c.id)
        console.log(`  ${dialect}: run ${run + 1} failed ${failed.join(', ')}; timing is void`)
        ok = false
        break
      }
    }
    const mid = median(durations)
    const verdict = mid < TARGET_MS ? 'PASS' : 'FAIL'
    if (mid >= TARGET_MS) ok = false
    const summary = last?.summary
    console.log(
      `  ${dialect.padEnd(8)} median ${ms(mid)} (min ${ms(Math.min(...durations))}, max ${ms(Math.max(...durations))}; ${summary?.total ?? 0} clauses: ${summary?.passed ?? 0} passed, ${summary?.skipped ?? 0} skipped, ${summary?.blocked ?? 0} blocked, ${summary?.warnings ?? 0} warnings) — target < ${ms(TARGET_MS)}: ${verdict}`,
    )
  } finally {
    await sim.close()
  }
}
console.log(ok ? 'CRM suite bench: PASS' : 'CRM suite bench: FAIL')
process.exitCode = ok ? 0 : 1
