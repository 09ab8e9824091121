import { defineProject } from 'vitest/config'

// Workspace packages resolve to their TypeScript source (the "@ccai-sim/source" export condition),
// so tests never run a stale dist/.
const conditions = ['@ccai-sim/source', 'module', 'node', 'development|production']

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: 'simulator',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Several suites sweep the catalog or play hundreds of sessions: CPU-bound, several times slower
    // on a busy 2-core machine. The bound only catches hangs; no test races the clock.
    testTimeout: 60_000,
  },
})
