// The package's JavaScript: the console's browser bundle (and the k6 export's file generator)
// first, then the Node entry points with them baked in (`__CCAI_CONSOLE_CLIENT__`,
// `__CCAI_K6_MEDIA__`), so dist/ needs no bundler at run time.
import { mkdir, readFile, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, isAbsolute, join } from 'node:path'
import { build, type BuildOptions, type Plugin } from 'esbuild'
import { bundleConsoleClient } from '../src/console/bundle.js'
import { bundleK6Media } from '../src/load-test/k6-media.js'
import {
  barrelExports,
  followReExports,
  lazyFunctionsModule,
  lazyFunctionsOf,
  rewriteBarrelImports,
  type BarrelImports,
} from './bundle-imports.js'

const client = await bundleConsoleClient()
// The k6 export's file generator, baked in the same way (`__CCAI_K6_MEDIA__`, load-test/k6-media.ts).
const k6Media = await bundleK6Media()
const common = {
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  logLevel: 'warning',
  define: {
    __CCAI_CONSOLE_CLIENT__: JSON.stringify(client),
    __CCAI_K6_MEDIA__: JSON.stringify(k6Media),
  },
} satisfies BuildOptions

// The library entries: the package's own code; its dependencies (`zod` a peer) are the user's, so
// a schema made with the user's Zod and one of ours are of the same Zod.
await build({
  ...common,
  outdir: 'dist',
  outbase: 'src',
  splitting: true,
  entryPoints: ['src/index.ts', 'src/msw/index.ts', 'src/load-test/index.ts', 'src/cli/support.ts'],
  packages: 'external',
  sourcesContent: false,
  chunkNames: 'chunks/[name]-[hash]',
})

/**
 * What the CLI carries inside itself: the ES modules on the way to `serve`'s ready line (issue
 * "Performance", start-up). Node resolves, reads and links each module of a package on its own
 * (Zod alone is ~95 files); one bundle is read and compiled as a single script.
 * Everything else stays a dependency loaded from node_modules, on first use where the source says
 * so (`ws`, faker, jsonc-parser, Cloud Storage, ssh2, SMTP, socket.io): CommonJS packages with
 * optional native parts, which a bundle would break or load eagerly.
 */
const BUNDLED_IN_BIN = [
  /^zod(\/|$)/,
  /^hono(\/|$)/,
  /^hono-openapi(\/|$)/,
  /^@hono\/(node-server|node-ws|standard-validator)(\/|$)/,
  /^@standard-community\//,
  /^@standard-schema\//,
  /^quansync(\/|$)/,
  /^@ccai-sim\/(schemas|fixtures)(\/|$)/,
]

const binExternals: Plugin = {
  name: 'bin-externals',
  setup(b) {
    // Bare package names only: `#…` subpath imports are the bundled packages' own files.
    b.onResolve({ filter: /^[^./#]/ }, (args) =>
      BUNDLED_IN_BIN.some((pattern) => pattern.test(args.path))
        ? undefined
        : { path: args.path, external: true },
    )
  },
}

/**
 * Zod's error messages in its ~50 languages are half of its code; the CLI speaks English (Zod's
 * default locale, `en`), so its bundle carries only that one (there `z.locales` holds just `en`).
 */
const englishOnlyZod: Plugin = {
  name: 'zod-english-only',
  setup(b) {
    b.onResolve({ filter: /\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/]/.test(args.importer)
        ? {
            // A name, not the build machine's path: esbuild may print it into the bundle.
            path: 'zod/v4/locales/en-only',
            namespace: 'zod-locales',
            pluginData: join(dirname(args.importer), '../locales/en.js'),
          }
        : undefined,
    )
    b.onLoad({ filter: /.*/, namespace: 'zod-locales' }, (args) => {
      const en = String(args.pluginData)
      return {
        contents: `export { default as en } from ${JSON.stringify(en)}`,
        resolveDir: dirname(en),
      }
    })
  },
}

/**
 * JSON modules (the catalog's golden examples, ~220 KB) as `JSON.parse` of a string: V8 reads a
 * string and parses JSON faster than it compiles the same data as an object literal.
 */
const jsonAsParse: Plugin = {
  name: 'json-as-parse',
  setup(b) {
    b.onLoad({ filter: /\.json$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8')
      // Parsed here first: a malformed file fails the build, not the CLI's start.
      return {
        contents: `export default JSON.parse(${JSON.stringify(JSON.stringify(JSON.parse(text)))})`,
        loader: 'js',
      }
    })
  },
}

const requireHere = createRequire(import.meta.url)

/** A workspace package's barrel (`src/index.ts`), from its package.json next to it. */
function barrelOf(name: string): string {
  return join(dirname(requireHere.resolve(`${name}/package.json`)), 'src/index.ts')
}

const isPlainFunction = (value: unknown): boolean =>
  typeof value === 'function' && !/^class\b/.test(Function.prototype.toString.call(value))

const schemasBarrel = barrelOf('@ccai-sim/schemas')
const fixturesBarrel = barrelOf('@ccai-sim/fixtures')
/** The schemas' modules that build the whole catalog (every contract's schemas) when they load. */
const CATALOG_MODULES = new Set(
  ['catalog/catalog.ts', 'json-schema.ts'].map((file) => join(dirname(schemasBarrel), file)),
)

/** A barrel's imports for the bundle: which of its functions load the package on first call. */
async function barrelImports(
  barrel: string,
  exports: Readonly<Record<string, unknown>>,
  lazyModule: (from: string) => boolean,
): Promise<BarrelImports & { readonly barrel: string }> {
  const origins = await followReExports(
    barrelExports(barrel, await readFile(barrel, 'utf8')),
    async (path) =>
      isAbsolute(path) ? await readFile(path.replace(/\.js$/, '.ts'), 'utf8') : undefined,
  )
  return {
    barrel,
    origins,
    lazy: (name) => {
      const origin = origins.get(name)
      return origin !== undefined && isPlainFunction(exports[name]) && lazyModule(origin.from)
    },
  }
}

// Which exports are functions: the packages as they run (`pnpm build` runs this script with the
// `@ccai-sim/source` condition, so that is their source, not a dist/ that may be missing or stale).
const BARRELS = {
  '@ccai-sim/schemas': await barrelImports(
    schemasBarrel,
    await import('@ccai-sim/schemas'),
    (from) => CATALOG_MODULES.has(from),
  ),
  // Every builder reaches the whole catalog: all of fixtures' functions load it on first call.
  '@ccai-sim/fixtures': await barrelImports(
    fixturesBarrel,
    await import('@ccai-sim/fixtures'),
    () => true,
  ),
}

/**
 * `import { A, B } from '@ccai-sim/schemas'` (or `fixtures`) in the simulator's and fixtures' code,
 * as imports of the modules that define A and B (./bundle-imports.ts). Inside the bin every module
 * of the `serve` command runs when the command loads, and a barrel runs all it re-exports: through
 * the schemas' barrel any schema import built the whole catalog, every contract's schemas, and
 * fixtures' builders asked for all of it again (a large part of `serve`'s start-up with the
 * garbage it leaves). Imported one by one, `serve` builds the schemas its own modules use at load.
 * Functions that would load the catalog (`getContract`, `checkContract`, …, and all of fixtures':
 * every builder reaches the catalog) are stand-ins that load the real package on their first call:
 * when the first session is generated, or the first payload checked against a contract. The
 * packages' code is unchanged.
 */
const directImports: Plugin = {
  name: 'direct-imports',
  setup(b) {
    b.onLoad(
      { filter: /[\\/]packages[\\/](simulator|fixtures)[\\/]src[\\/].*\.ts$/ },
      async (args) => {
        const source = await readFile(args.path, 'utf8')
        if (!/'@ccai-sim\/(schemas|fixtures)'/.test(source)) return undefined
        return {
          contents: rewriteBarrelImports(source, args.path, BARRELS),
          loader: 'ts',
          resolveDir: dirname(args.path),
        }
      },
    )
    b.onResolve({ filter: /^lazy-functions:/ }, (args) => ({
      path: args.path.slice(lazyFunctionsOf('').length),
      namespace: 'lazy-functions',
    }))
    b.onLoad({ filter: /.*/, namespace: 'lazy-functions' }, (args) => {
      const barrel = args.path in BARRELS ? BARRELS[args.path as keyof typeof BARRELS] : undefined
      if (barrel === undefined) throw new Error(`no barrel for ${args.path}`)
      return {
        contents: lazyFunctionsModule(
          barrel.barrel,
          [...barrel.origins.keys()].filter(barrel.lazy),
        ),
        resolveDir: dirname(barrel.barrel),
        loader: 'js',
      }
    })
  },
}

// The CLI, apart from the library entries: its own copy of Zod and Hono (the bin never loads the
// installed ones, so there is one Zod in its process) and the workspace packages from source.
// Whitespace and syntax minified (less to parse at each start); names kept for stack traces, and
// the source maps carry their sources, most of which are not in this package's tarball.
// One CommonJS file, which the launcher (src/cli/launch.ts) compiles with a V8 code cache: Node 20
// caches only scripts it compiles itself (`vm.Script`), not ES modules. The commands' code stays
// lazy inside it (esbuild wraps a module imported with `import()` in a function run on first use).
// `import.meta.url` is the bundle's own file URL, as it was for the ES module.
const binBundle = await build({
  ...common,
  format: 'cjs',
  // `import()` of the optional dependencies (Cloud Storage, ssh2) as `require`: a `vm.Script` on
  // Node 20 has no dynamic import without --experimental-vm-modules (or an experimental constant
  // that warns on stderr). They are CommonJS; ES-only ones load too (`require` of ES modules,
  // Node ≥ 20.19, which faker's lazy load needs already).
  supported: { 'dynamic-import': false },
  outfile: 'dist/cli/bin.bundle.cjs',
  entryPoints: ['src/cli/bin.ts'],
  conditions: ['@ccai-sim/source'],
  plugins: [directImports, binExternals, englishOnlyZod, jsonAsParse],
  define: { ...common.define, 'import.meta.url': '__ccai_bundle_url' },
  banner: { js: 'const __ccai_bundle_url = require("node:url").pathToFileURL(__filename).href;' },
  minifyWhitespace: true,
  minifySyntax: true,
  charset: 'ascii',
  sourcesContent: true,
  write: false,
})
const bundleOutput = binBundle.outputFiles.find((file) => file.path.endsWith('.cjs'))
if (bundleOutput === undefined) throw new Error('esbuild wrote no dist/cli/bin.bundle.cjs')
// The launcher reads the bundle as Latin-1 (faster than UTF-8), which is its exact text only if
// every byte is ASCII: esbuild escapes other characters (`charset: 'ascii'`), checked here.
const nonAscii = bundleOutput.contents.findIndex((byte) => byte > 0x7f)
if (nonAscii !== -1)
  throw new Error(`dist/cli/bin.bundle.cjs: a non-ASCII byte at offset ${String(nonAscii)}`)
await mkdir(dirname(bundleOutput.path), { recursive: true })
for (const file of binBundle.outputFiles) await writeFile(file.path, file.contents)

// The bin itself: the launcher, alone (Node's own modules only), told the bundle's hash.
await build({
  ...common,
  entryPoints: ['src/cli/launch.ts'],
  outfile: 'dist/cli/bin.js',
  define: { __CCAI_BIN_BUNDLE_HASH__: JSON.stringify(bundleOutput.hash.replace(/[^\w-]/g, '')) },
})
