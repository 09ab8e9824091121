// The package's JavaScript: the console's browser bundle first, then the Node entry points with
// that bundle baked in (`__CCAI_CONSOLE_CLIENT__`), so dist/ needs no bundler at run time.
import { build } from 'esbuild'
import { bundleConsoleClient } from '../src/console/bundle.js'

const client = await bundleConsoleClient()
await build({
  entryPoints: [
    'src/index.ts',
    'src/msw/index.ts',
    'src/load-test/index.ts',
    'src/cli/bin.ts',
    'src/cli/support.ts',
  ],
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  sourcemap: true,
  sourcesContent: false,
  outdir: 'dist',
  outbase: 'src',
  logLevel: 'warning',
  splitting: true,
  chunkNames: 'chunks/[name]-[hash]',
  define: { __CCAI_CONSOLE_CLIENT__: JSON.stringify(client) },
})
