// CI's type check and lint in one pass (`pnpm check`, run by `pnpm test`): the type check of
// `tsc -p tsconfig.typecheck.json` and `eslint` with the repository's eslint.config.js over every
// package, sharing one TypeScript program instead of building it once in tsc and again in each
// package's ESLint (typescript-eslint's type-aware rules need the program; they are most of the
// time, and the type information they ask for is what the type check computes anyway).
//
// The work is split across the cores (at most two shards: each shard builds the whole program,
// which costs ~11 s of CPU, and checks and lints only its own folders). `pnpm typecheck:all`,
// `pnpm typecheck` and `pnpm lint` stay the developer's commands; this is the same checks, faster.
import { fork } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join, relative, resolve, sep } from 'node:path'
import { ESLint } from 'eslint'
import ts from 'typescript'

const ROOT = resolve(import.meta.dirname, '..', '..')
const TSCONFIG = join(ROOT, 'tsconfig.typecheck.json')
/** The folders linted and type-checked, each a unit of work given whole to one shard. */
const FOLDERS = [
  ...readdirSync(join(ROOT, 'packages')).map((name) => `packages/${name}`),
  'tooling/pack-test',
  'tooling/check',
]

/** Lines of TypeScript under a folder (node_modules and dist aside): the shards' balance. */
function weight(folder: string): number {
  let lines = 0
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name === 'node_modules' || entry.name === 'dist') continue
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else if (entry.name.endsWith('.ts')) lines += readFileSync(path, 'utf8').split('\n').length
    }
  }
  walk(join(ROOT, folder))
  return lines
}

/** The folders split into `count` shards of about equal weight (heaviest first, to the lightest). */
function shards(count: number): string[][] {
  const result = Array.from({ length: count }, () => ({ weight: 0, folders: [] as string[] }))
  const weighed = FOLDERS.filter((f) => statSync(join(ROOT, f), { throwIfNoEntry: false }))
    .map((folder) => ({ folder, weight: weight(folder) }))
    .sort((a, b) => b.weight - a.weight)
  for (const { folder, weight: w } of weighed) {
    const lightest = result.reduce((a, b) => (b.weight < a.weight ? b : a))
    lightest.folders.push(folder)
    lightest.weight += w
  }
  return result.map((s) => s.folders).filter((folders) => folders.length > 0)
}

const host: ts.FormatDiagnosticsHost = {
  getCanonicalFileName: (name) => name,
  getCurrentDirectory: () => ROOT,
  getNewLine: () => '\n',
}

/**
 * One shard: the whole program, then the type check's diagnostics of the shard's files (and, in
 * the first shard, every diagnostic that belongs to no folder: the config's, the options', the
 * global ones, files outside the folders) and ESLint over the shard's folders. Returns the report.
 */
async function runShard(folders: readonly string[], first: boolean): Promise<string> {
  const config = ts.getParsedCommandLineOfConfigFile(TSCONFIG, undefined, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.formatDiagnostic(diagnostic, host))
    },
  })
  if (config === undefined) throw new Error(`${TSCONFIG}: unreadable`)
  const program = ts.createProgram({
    rootNames: config.fileNames,
    options: config.options,
    configFileParsingDiagnostics: ts.getConfigFileParsingDiagnostics(config),
    ...(config.projectReferences ? { projectReferences: config.projectReferences } : {}),
  })
  const prefixes = folders.map((f) => join(ROOT, f) + sep)
  const others = FOLDERS.filter((f) => !folders.includes(f)).map((f) => join(ROOT, f) + sep)
  const mine = (file: string): boolean => {
    const path = resolve(file)
    if (prefixes.some((p) => path.startsWith(p))) return true
    return first && !others.some((p) => path.startsWith(p))
  }
  // What `tsc` reports with noEmit (its emitFilesAndReportErrors): config and options, then the
  // syntax; the global and semantic diagnostics only when the syntax is clean.
  const files = program.getSourceFiles().filter((file) => mine(file.fileName))
  const diagnostics: ts.Diagnostic[] = first
    ? [...program.getConfigFileParsingDiagnostics(), ...program.getOptionsDiagnostics()]
    : []
  const syntax = files.flatMap((file) => program.getSyntacticDiagnostics(file))
  diagnostics.push(...syntax)
  const eslint = new ESLint({
    cwd: ROOT,
    overrideConfig: {
      languageOptions: {
        parserOptions: { programs: [program], projectService: false, project: null },
      },
    },
  })
  const results = await eslint.lintFiles([...folders])
  if (syntax.length === 0) {
    if (first) diagnostics.push(...program.getGlobalDiagnostics())
    diagnostics.push(...files.flatMap((file) => program.getSemanticDiagnostics(file)))
  }
  let report = ''
  if (diagnostics.length > 0) {
    report += ts.formatDiagnosticsWithColorAndContext(
      ts.sortAndDeduplicateDiagnostics(diagnostics),
      host,
    )
    report += `\ntsc (tsconfig.typecheck.json, ${folders.join(', ')}): ${String(diagnostics.length)} error(s)\n`
  }
  const linted = await (await eslint.loadFormatter('stylish')).format(results)
  if (linted !== '') report += linted
  const problems = results.reduce((n, r) => n + r.errorCount + r.warningCount, 0)
  if (diagnostics.length > 0 || problems > 0) return report || 'check: failed\n'
  return ''
}

const shardArgument = process.argv.indexOf('--shard')
if (shardArgument !== -1) {
  // A child: its folders in argv, its report on stdout, exit 1 when anything failed.
  const folders = process.argv.slice(shardArgument + 2)
  const report = await runShard(folders, process.argv[shardArgument + 1] === 'first')
  const cpu = process.cpuUsage()
  process.stdout.write(report)
  process.stdout.write(
    `check: ${folders.join(' + ')}: ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU\n`,
  )
  process.exitCode = report === '' ? 0 : 1
} else {
  const started = performance.now()
  const split = shards(Math.min(2, availableParallelism()))
  const codes = await Promise.all(
    split.map(
      (folders, index) =>
        new Promise<number | null>((done) => {
          const child = fork(
            import.meta.filename,
            ['--shard', index === 0 ? 'first' : 'rest', ...folders],
            { execArgv: process.execArgv, stdio: 'inherit' },
          )
          child.once('exit', done)
        }),
    ),
  )
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  const where = split.map((folders) =>
    folders.map((f) => relative(ROOT, join(ROOT, f))).join(' + '),
  )
  if (codes.every((code) => code === 0)) {
    process.stdout.write(`check: types and lint clean (${where.join(' | ')}; ${seconds} s)\n`)
  } else {
    process.stdout.write(`check: FAILED (${where.join(' | ')}; ${seconds} s)\n`)
    process.exitCode = 1
  }
}
