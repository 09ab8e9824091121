import { readFile, writeFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { withContractTable } from './readme-table.js'

const readme = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'README.md')
await writeFile(readme, withContractTable(await readFile(readme, 'utf8')))
console.log(`updated the contract table in ${readme}`)
