#!/usr/bin/env node
// In the repository the packages run from source through tsx; a published package (no src/) runs
// its compiled dist/.
import { existsSync } from 'node:fs'

const source = new URL('../src/cli/bin.ts', import.meta.url)
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api')
  register()
  await import(source.href)
} else {
  await import(new URL('../dist/cli/bin.js', import.meta.url).href)
}
