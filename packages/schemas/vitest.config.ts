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
  },
})
