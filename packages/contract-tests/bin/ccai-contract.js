#!/usr/bin/env node
// Runs the compiled dist/ (what a published package has). A checkout that has not been built yet
// runs the TypeScript source through tsx, a devDependency of the workspace, with the workspace
// packages resolved to their source too (the "@ccai-sim/source" export condition).
import { existsSync } from 'node:fs'

const compiled = new URL('../dist/cli/bin.js', import.meta.url)
if (existsSync(compiled)) {
  await import(compiled.href)
} else {
  const { register } = await import('node:module')
  register(
    'data:text/javascript,export function resolve(s,c,n){return n(s,{...c,conditions:["@ccai-sim/source",...c.conditions]})}',
  )
  const tsx = await import('tsx/esm/api')
  tsx.register()
  await import(new URL('../src/cli/bin.ts', import.meta.url).href)
}
