import { defineProject } from 'vitest/config'

export default defineProject({
  test: {
    name: 'simulator',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Several suites sweep the catalog or play hundreds of sessions: CPU-bound, several times slower
    // on a busy 2-core machine. The bound only catches hangs; no test races the clock.
    testTimeout: 60_000,
  },
})
