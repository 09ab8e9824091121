/*
 * The console's browser code is TypeScript under `client/`, bundled by esbuild into one script.
 * The package build (`scripts/build.ts`) bundles it once and bakes the text into dist/ through the
 * `__CCAI_CONSOLE_CLIENT__` define, so the published package needs no bundler at run time; from
 * source (tests, `pnpm start`) it is bundled on first use with the workspace's esbuild.
 */

declare const __CCAI_CONSOLE_CLIENT__: string | undefined

/** Where the client's entry point lives, relative to this module. */
const ENTRY = new URL('./client/main.ts', import.meta.url)

/** esbuild options shared by the package build and the from-source path (same output both ways). */
export const CONSOLE_BUNDLE_OPTIONS = {
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2022',
  minify: false,
  legalComments: 'none',
  charset: 'utf8',
  write: false,
  logLevel: 'silent',
} as const

/** Bundles `client/main.ts` with esbuild (a development dependency: only reached from source). */
export async function bundleConsoleClient(): Promise<string> {
  const esbuild = await import('esbuild')
  const result = await esbuild.build({
    ...CONSOLE_BUNDLE_OPTIONS,
    entryPoints: [decodeURIComponent(ENTRY.pathname)],
  })
  const output = result.outputFiles[0]
  if (output === undefined) throw new Error('esbuild produced no console bundle')
  return output.text
}

let cached: Promise<string> | undefined

/** The console's script: baked in by the package build, or bundled from source once per process. */
export function consoleClientScript(): Promise<string> {
  cached ??=
    typeof __CCAI_CONSOLE_CLIENT__ === 'string'
      ? Promise.resolve(__CCAI_CONSOLE_CLIENT__)
      : bundleConsoleClient()
  return cached
}
