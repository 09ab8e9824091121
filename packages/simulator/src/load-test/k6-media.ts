import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/*
 * The k6 export's file generator (k6-media-entry.ts) as one script for k6's runtime. The package
 * build (`scripts/build.ts`) bundles it once and bakes the text into dist/ through the
 * `__CCAI_K6_MEDIA__` define, so the published package needs no bundler at run time; from source
 * (tests, the repository's bin) it is bundled on first use with the workspace's esbuild, as the
 * console's client is (console/bundle.ts).
 */

declare const __CCAI_K6_MEDIA__: string | undefined

const ENTRY = new URL('./k6-media-entry.ts', import.meta.url)
const FAKER = new URL('./k6-faker.ts', import.meta.url)

/** The global the bundle defines: `ccaiSimMedia.renderMedia(media)` → the file's bytes. */
export const K6_MEDIA_GLOBAL = 'ccaiSimMedia'

/** @ccai-sim/fixtures' media generators, from its sources (only bundled from source). */
function fixturesMedia(): string {
  const pkg = createRequire(import.meta.url).resolve('@ccai-sim/fixtures/package.json')
  return join(dirname(pkg), 'src/projections/media.ts')
}

/** Bundles the generator with esbuild (a development dependency: only reached from source). */
export async function bundleK6Media(): Promise<string> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({
    entryPoints: [fileURLToPath(ENTRY)],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: K6_MEDIA_GLOBAL,
    platform: 'neutral',
    // k6's goja runs ES2015 and later; older syntax is the safe side of what it has added since.
    target: 'es2015',
    conditions: ['@ccai-sim/source'],
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'silent',
    plugins: [
      {
        name: 'k6-media-sources',
        setup(b) {
          // The generators' own module, not the package's barrel: the barrel re-exports modules
          // that import @ccai-sim/schemas (Zod, every contract), which the bundle would keep
          // (~700 KB against ~20 KB).
          b.onResolve({ filter: /^@ccai-sim\/fixtures$/ }, () => ({ path: fixturesMedia() }))
          b.onResolve({ filter: /^#english-faker$/ }, () => ({ path: fileURLToPath(FAKER) }))
        },
      },
    ],
  })
  const output = result.outputFiles[0]
  if (output === undefined) throw new Error('esbuild produced no k6 media bundle')
  return output.text
}

let cached: Promise<string> | undefined

/** The generator's script: baked in by the package build, or bundled from source once per process. */
export function k6MediaScript(): Promise<string> {
  cached ??=
    typeof __CCAI_K6_MEDIA__ === 'string' ? Promise.resolve(__CCAI_K6_MEDIA__) : bundleK6Media()
  return cached
}
