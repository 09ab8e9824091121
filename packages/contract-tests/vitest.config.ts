import { defineProject } from 'vitest/config'

// Workspace packages resolve to their TypeScript source (the "@ccai-sim/source" export condition),
// so tests never run a stale dist/.
const conditions = ['@ccai-sim/source', 'module', 'node', 'development|production']

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: 'contract-tests',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // No mocks, stubbed globals or environment changes here: the test files of one worker share
    // their imports (the simulator, fixtures and schemas, imported once instead of once per file:
    // about half this project's import time and a quarter of its CPU outside the browser tests).
    // A test that needs a fresh module graph does not belong in this package.
    isolate: false,
    // Suites run real servers, child processes and a browser: on a busy shared 2-core machine a
    // correct test can take far longer than Vitest's 5 s default. A hang still fails.
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
