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
    // The test files of one worker share their imports (Hono, Zod, the fixtures, the schemas: loaded
    // once per worker instead of once per file). Tests that stub the environment or spy undo it in
    // their own hooks; nothing here patches a global for good (the HTTP host keeps
    // `@hono/node-server` from replacing `Request` and `Response`, see lazy-node-server.ts).
    isolate: false,
    // Several suites sweep the catalog or play hundreds of sessions: CPU-bound, several times slower
    // on a busy 2-core machine. The bound only catches hangs; no test races the clock.
    testTimeout: 60_000,
  },
})
