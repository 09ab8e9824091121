import { execFile } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures')
const VITEST_BIN = join(
  dirname(createRequire(import.meta.url).resolve('vitest/package.json')),
  'vitest.mjs',
)

interface AssertionResult {
  readonly fullName: string
  readonly status: string
  readonly failureMessages: readonly string[]
}

/** Runs the user-style spec files in a child Vitest and returns its JSON report's assertions. */
async function runUserSpecs(): Promise<AssertionResult[]> {
  const out = await mkdtemp(join(tmpdir(), 'ccai-contract-vitest-'))
  try {
    const report = join(out, 'report.json')
    // The child is a fresh Vitest, not a worker of this one.
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([key]) => !key.startsWith('VITEST') && key !== 'TEST'),
    )
    await new Promise<void>((resolve) => {
      execFile(
        process.execPath,
        [
          VITEST_BIN,
          'run',
          '--config',
          join(FIXTURES, 'vitest.config.ts'),
          '--reporter=json',
          `--outputFile=${report}`,
        ],
        { cwd: FIXTURES, env, timeout: 60_000 },
        () => {
          resolve()
        },
      )
    })
    const json = JSON.parse(await readFile(report, 'utf8')) as {
      testResults: { assertionResults: AssertionResult[] }[]
    }
    return json.testResults.flatMap((file) => file.assertionResults)
  } finally {
    await rm(out, { recursive: true, force: true })
  }
}

describe('defineContractSuite in a user’s Vitest', () => {
  it('registers one it per clause, failing the failed clause with its exchange and skipping with the reason', async () => {
    const results = await runUserSpecs()
    const byName = new Map(results.map((r) => [r.fullName, r]))
    expect([...byName.keys()]).toEqual([
      'fixture suite, run once FIX-001 A find with no match answers 2xx',
      'fixture suite, run once FIX-002 Create returns the id at "id" & <friends>',
      'fixture suite, run once FIX-003 Uploads keep their bytes (skipped: the settings configure no upload)',
      'fixture suite, clause by clause FIX-001 A find with no match answers 2xx',
      'fixture suite, clause by clause FIX-002 Create returns the id at "id" & <friends>',
      'fixture suite, clause by clause FIX-003 Uploads keep their bytes',
      'a suite that cannot run runs the suite',
    ])
    const statuses = results.map((r) => r.status)
    expect(statuses).toEqual([
      'passed',
      'failed',
      'skipped',
      'passed',
      'failed',
      'skipped',
      'failed',
    ])
    for (const name of [
      'fixture suite, run once FIX-002 Create returns the id at "id" & <friends>',
      'fixture suite, clause by clause FIX-002 Create returns the id at "id" & <friends>',
    ]) {
      const message = byName.get(name)?.failureMessages.join('\n') ?? ''
      expect(message).toContain('ContractClauseError: FIX-002 Create returns the id')
      expect(message).toContain('Expected: a 2xx answer with the id at "id"')
      expect(message).toContain('Actual:   status 500, an HTML body <html>…')
      expect(message).toContain('> POST http://crm.example.test/api/accounts?a=1&b=<2>')
      expect(message).toContain('< 500')
    }
    expect(
      byName.get('a suite that cannot run runs the suite')?.failureMessages.join('\n'),
    ).toContain('the settings name no CRM')
  })
})
