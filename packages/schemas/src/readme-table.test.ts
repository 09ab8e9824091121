import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { withContractTable } from '../scripts/readme-table.js'

describe('the README contract table', () => {
  it('lists the catalog as it is (run `pnpm gen` when this fails)', async () => {
    const path = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'README.md')
    const readme = await readFile(path, 'utf8')
    expect(withContractTable(readme) === readme).toBe(true)
  })
})
