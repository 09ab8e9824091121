import { availableParallelism } from 'node:os'
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: ['packages/*'],
    // Vitest's default leaves one core free (one worker on a 2-core machine). Most of this suite's
    // time is spent waiting on child processes, servers and a browser, not computing, so a worker
    // per core keeps both cores busy without starving them.
    maxWorkers: Math.max(2, availableParallelism()),
  },
})
