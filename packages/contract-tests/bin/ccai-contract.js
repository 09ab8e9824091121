#!/usr/bin/env node
// Source-first package: run the TypeScript entry through tsx, resolved from this package.
import { register } from 'tsx/esm/api'

register()
await import('../src/cli/bin.ts')
