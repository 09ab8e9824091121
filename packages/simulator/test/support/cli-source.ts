import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'

/**
 * Node arguments that run the ccai-sim CLI from its TypeScript source (tsx, workspace packages
 * resolved to their source), as bin/ccai-sim.js does in an unbuilt checkout: tests never run a
 * stale dist/. The packed bin itself is run by tooling/pack-test.
 */
export const CCAI_SIM_SOURCE_ARGS: readonly string[] = [
  '--conditions=@ccai-sim/source',
  '--import',
  pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href,
  fileURLToPath(new URL('../../src/cli/bin.ts', import.meta.url)),
]
