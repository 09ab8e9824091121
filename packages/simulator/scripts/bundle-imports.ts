// How the CLI's bundle (./build.ts) imports the workspace packages' barrels: name by name from
// the modules that define each name, and functions that would load a whole package lazily.
import { dirname, join } from 'node:path'
import ts from 'typescript'

/*
 * Read with TypeScript's parser, not patterns: an import-like line in a comment or a string (a help
 * text, a code sample) stays as it is, and any form of import the bundle cannot split fails loudly.
 */
const parse = (file: string, text: string): ts.SourceFile =>
  ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS)

const moduleOf = (statement: ts.ImportDeclaration | ts.ExportDeclaration): string | undefined =>
  statement.moduleSpecifier !== undefined && ts.isStringLiteral(statement.moduleSpecifier)
    ? statement.moduleSpecifier.text
    : undefined

/** Where a barrel's export comes from: the module (absolute path or package name) and its name there. */
export interface ExportOrigin {
  readonly from: string
  readonly name: string
}

/**
 * The value names a barrel re-exports (`export { A, B as C } from './x.js'`), each with its origin.
 * Type-only exports (`export type { … }`, `type X` specifiers) are left out: esbuild erases them.
 */
export function barrelExports(barrel: string, text: string): Map<string, ExportOrigin> {
  const origins = new Map<string, ExportOrigin>()
  for (const statement of parse(barrel, text).statements) {
    if (!ts.isExportDeclaration(statement) || statement.isTypeOnly) continue
    const from = moduleOf(statement)
    const clause = statement.exportClause
    // `export *` names nothing here: an import of a name it carries fails in rewriteBarrelImports.
    if (from === undefined || clause === undefined || !ts.isNamedExports(clause)) continue
    for (const element of clause.elements) {
      if (element.isTypeOnly) continue
      const exported = element.name.text
      origins.set(exported, {
        from: from.startsWith('.') ? join(dirname(barrel), from) : from,
        name: element.propertyName?.text ?? exported,
      })
    }
  }
  return origins
}

/**
 * `origins` with each name followed through the modules that only re-export it (a family's own
 * barrel, `export { X } from './x.js'`) to the module that defines it. `read` answers a module's
 * text by its path as imported (`.js` standing for the `.ts` source), or undefined for a package.
 */
export async function followReExports(
  origins: ReadonlyMap<string, ExportOrigin>,
  read: (path: string) => Promise<string | undefined>,
): Promise<Map<string, ExportOrigin>> {
  const reExports = new Map<string, Promise<Map<string, ExportOrigin> | undefined>>()
  const reExportsOf = (path: string): Promise<Map<string, ExportOrigin> | undefined> => {
    let found = reExports.get(path)
    if (found === undefined) {
      found = read(path).then((text) =>
        text === undefined ? undefined : barrelExports(path, text),
      )
      reExports.set(path, found)
    }
    return found
  }
  const followed = new Map<string, ExportOrigin>()
  for (const [name, origin] of origins) {
    let at = origin
    for (;;) {
      const next = (await reExportsOf(at.from))?.get(at.name)
      if (next === undefined) break
      at = next
    }
    followed.set(name, at)
  }
  return followed
}

export interface BarrelImports {
  readonly origins: ReadonlyMap<string, ExportOrigin>
  /** Whether an import of `name` goes to the package's lazy stand-ins (`lazyFunctionsModule`). */
  readonly lazy: (name: string) => boolean
}

/** The module specifier of a package's lazy stand-ins, which the bundle's plugin resolves. */
export const lazyFunctionsOf = (pkg: string): string => `lazy-functions:${pkg}`

/**
 * `source` (a TypeScript module at `file`) with each `import { … } from '<pkg>'` of a package in
 * `barrels` rewritten as imports of the modules that define the names, or of the package's lazy
 * stand-ins for the names `lazy` picks. `import type` statements and `type X` specifiers stay out.
 * A name the barrel does not re-export from a module fails the build, naming file and name.
 */
export function rewriteBarrelImports(
  source: string,
  file: string,
  barrels: Readonly<Record<string, BarrelImports>>,
): string {
  const sourceFile = parse(file, source)
  let rewritten = ''
  let copied = 0
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement)) continue
    const pkg = moduleOf(statement)
    const barrel = pkg === undefined ? undefined : barrels[pkg]
    const clause = statement.importClause
    if (
      pkg === undefined ||
      barrel === undefined ||
      clause === undefined ||
      clause.phaseModifier === ts.SyntaxKind.TypeKeyword
    )
      continue
    const bindings = clause.namedBindings
    if (clause.name !== undefined || bindings === undefined || !ts.isNamedImports(bindings))
      throw new Error(
        `${file}: expected \`import { … } from '${pkg}'\` (names, which the bundle imports one by one from their modules), got \`${statement.getText(sourceFile)}\``,
      )
    const byModule = new Map<string, string[]>()
    for (const element of bindings.elements) {
      if (element.isTypeOnly) continue
      const local = element.name.text
      const imported = element.propertyName?.text ?? local
      const origin = barrel.origins.get(imported)
      if (origin === undefined)
        throw new Error(
          `${file}: ${pkg} re-exports no "${imported}" from a module (expected \`export { ${imported} } from '…'\` in its barrel)`,
        )
      // A stand-in has the public name; a defining module may have another.
      const [from, exported] = barrel.lazy(imported)
        ? [lazyFunctionsOf(pkg), imported]
        : [origin.from, origin.name]
      const specifiers = byModule.get(from) ?? []
      specifiers.push(exported === local ? local : `${exported} as ${local}`)
      byModule.set(from, specifiers)
    }
    rewritten +=
      source.slice(copied, statement.getStart(sourceFile)) +
      [...byModule]
        .map(([from, list]) => `import { ${list.join(', ')} } from ${JSON.stringify(from)}`)
        .join(';')
    copied = statement.end
  }
  return rewritten + source.slice(copied)
}

/**
 * A module of stand-ins for functions of the module at `path`: each `export function f(...args)`
 * `require`s the module on the first call of any of them (in the bundle, esbuild runs its lazily
 * wrapped body then) and calls its `f`.
 */
export function lazyFunctionsModule(path: string, names: readonly string[]): string {
  return [
    `let real`,
    `const load = () => (real ??= require(${JSON.stringify(path)}))`,
    ...names.map((name) => `export function ${name}(...args) { return load().${name}(...args) }`),
  ].join('\n')
}
