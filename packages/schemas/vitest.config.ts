import { defineProject } from 'vitest/config'

// Workspace packages resolve to their TypeScript source (the "@ccai-sim/source" export condition),
// so tests never run a stale dist/.
const conditions = ['@ccai-sim/source', 'module', 'node', 'development|production']

export default defineProject({
  resolve: { conditions },
  ssr: { resolve: { conditions } },
  test: {
    name: 'schemas',
    include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
    // Pure functions over data, no mocks, servers or globals: the test files of one worker share
    // their imports instead of each importing the catalog afresh (about half this project's CPU
    // time in the suite). A test that needs a fresh module graph does not belong in this package.
    isolate: false,
  },
})
