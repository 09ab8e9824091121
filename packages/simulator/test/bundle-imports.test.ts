import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import {
  barrelExports,
  followReExports,
  lazyFunctionsModule,
  rewriteBarrelImports,
  type BarrelImports,
} from '../scripts/bundle-imports.js'

const BARREL_TEXT = `// Checking
export { checkPayload, schemaInMode } from './check.js'
export type { CheckMode } from './check.js'
export {
  CATALOG,
  getContract,
  type Contract,
} from './catalog/catalog.js'
export {
  AddParticipantFrameSchema as ExpertflowAddParticipantFrameSchema,
  FrameSchema,
} from './expertflow/index.js'
export { GOLDEN_EXAMPLES } from '@ccai-sim/schemas'
export * from './everything.js'
// export { Commented } from './commented.js'
`

const origins = barrelExports('/repo/schemas/src/index.ts', BARREL_TEXT)
const barrels: Record<string, BarrelImports> = {
  '@ccai-sim/schemas': { origins, lazy: (name) => name === 'getContract' },
}

describe('barrelExports', () => {
  it('maps each re-exported value name to its module and its name there, types left out', () => {
    expect(Object.fromEntries(origins)).toEqual({
      checkPayload: { from: '/repo/schemas/src/check.js', name: 'checkPayload' },
      schemaInMode: { from: '/repo/schemas/src/check.js', name: 'schemaInMode' },
      CATALOG: { from: '/repo/schemas/src/catalog/catalog.js', name: 'CATALOG' },
      getContract: { from: '/repo/schemas/src/catalog/catalog.js', name: 'getContract' },
      ExpertflowAddParticipantFrameSchema: {
        from: '/repo/schemas/src/expertflow/index.js',
        name: 'AddParticipantFrameSchema',
      },
      FrameSchema: { from: '/repo/schemas/src/expertflow/index.js', name: 'FrameSchema' },
      GOLDEN_EXAMPLES: { from: '@ccai-sim/schemas', name: 'GOLDEN_EXAMPLES' },
    })
  })
})

describe('followReExports', () => {
  it('follows a name through the barrels that only re-export it to the module that defines it', async () => {
    const texts: Record<string, string> = {
      '/repo/schemas/src/expertflow/index.js': `import { z } from 'zod'
export { AddParticipantFrameSchema } from './frames/add.js'
export const FrameSchema = z.object({})
`,
      '/repo/schemas/src/expertflow/frames/add.js': `export const AddParticipantFrameSchema = 1`,
    }
    const reads: string[] = []
    const followed = await followReExports(origins, (path) => {
      reads.push(path)
      return Promise.resolve(texts[path])
    })
    expect(followed.get('ExpertflowAddParticipantFrameSchema')).toEqual({
      from: '/repo/schemas/src/expertflow/frames/add.js',
      name: 'AddParticipantFrameSchema',
    })
    // Defined in the family barrel itself, or in a module that is not a barrel: as it was.
    expect(followed.get('FrameSchema')).toEqual(origins.get('FrameSchema'))
    expect(followed.get('checkPayload')).toEqual(origins.get('checkPayload'))
    // Each module read once, however many names lead through it.
    expect(reads.length).toBe(new Set(reads).size)
  })
})

describe('rewriteBarrelImports', () => {
  it('imports each name from its module, under the local name, and lazy functions from the stand-ins', () => {
    const source = `import { readFile } from 'node:fs/promises'
import {
  CATALOG,
  checkPayload as check,
  ExpertflowAddParticipantFrameSchema,
  getContract,
  type Contract,
} from '@ccai-sim/schemas'
import type { CheckMode } from '@ccai-sim/schemas'
export const x = 1
`
    expect(rewriteBarrelImports(source, '/repo/sim/src/a.ts', barrels)).toBe(
      `import { readFile } from 'node:fs/promises'
import { CATALOG } from "/repo/schemas/src/catalog/catalog.js";import { checkPayload as check } from "/repo/schemas/src/check.js";import { AddParticipantFrameSchema as ExpertflowAddParticipantFrameSchema } from "/repo/schemas/src/expertflow/index.js";import { getContract } from "lazy-functions:@ccai-sim/schemas"
import type { CheckMode } from '@ccai-sim/schemas'
export const x = 1
`,
    )
  })

  it('leaves a module without imports of those packages as it is', () => {
    const source = `import { z } from 'zod'\nimport { other } from '@ccai-sim/fixtures'\n`
    expect(rewriteBarrelImports(source, '/repo/sim/src/b.ts', barrels)).toBe(source)
  })

  it('leaves import-like text in comments and strings as it is', () => {
    const source = `/* import { CATALOG } from '@ccai-sim/schemas' */
// import { getContract } from '@ccai-sim/schemas'
export const HELP = "import { CATALOG } from '@ccai-sim/schemas'"
export const SAMPLE = \`import { getContract } from '@ccai-sim/schemas'\`
`
    expect(rewriteBarrelImports(source, '/repo/sim/src/d.ts', barrels)).toBe(source)
  })

  it('fails naming the file and the statement for a namespace or default import of a barrel', () => {
    for (const statement of [
      `import * as schemas from '@ccai-sim/schemas'`,
      `import schemas, { CATALOG } from '@ccai-sim/schemas'`,
    ])
      expect(() => rewriteBarrelImports(`${statement}\n`, '/repo/sim/src/e.ts', barrels)).toThrow(
        `/repo/sim/src/e.ts: expected \`import { … } from '@ccai-sim/schemas'\` (names, which the bundle imports one by one from their modules), got \`${statement}\``,
      )
  })

  it('fails naming the file and the name the barrel does not re-export from a module', () => {
    expect(() =>
      rewriteBarrelImports(
        `import { NoSuchSchema } from '@ccai-sim/schemas'`,
        '/repo/sim/src/c.ts',
        barrels,
      ),
    ).toThrow(
      `/repo/sim/src/c.ts: @ccai-sim/schemas re-exports no "NoSuchSchema" from a module (expected \`export { NoSuchSchema } from '…'\` in its barrel)`,
    )
  })
})

describe('lazyFunctionsModule', () => {
  it('loads the module on the first call of any stand-in, once, and passes arguments and results through', () => {
    const code = lazyFunctionsModule('/repo/schemas/src/catalog/catalog.js', ['getContract', 'add'])
    const loads: string[] = []
    const real = {
      getContract: (id: string) => ({ id }),
      add: (a: number, b: number) => a + b,
    }
    // The generated module as a script: its ES exports as assignments to `exports`.
    const stand: Record<string, ((...args: unknown[]) => unknown) | undefined> = {}
    runInNewContext(code.replace(/export function (\w+)/g, 'exports.$1 = function $1'), {
      exports: stand,
      require: (path: string) => {
        loads.push(path)
        return real
      },
    })
    expect(loads).toEqual([])
    expect(stand['getContract']?.('vta.ujet.text')).toEqual({ id: 'vta.ujet.text' })
    expect(stand['add']?.(2, 3)).toBe(5)
    expect(loads).toEqual(['/repo/schemas/src/catalog/catalog.js'])
  })
})
