import { mkdir, readFile, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { stateDirFor } from './file-storage-sink.js'

const LOCK_FILE = 'instance.pid'
/** How many `storage-2`, `storage-3`, … a default folder tries before sharing the first one. */
const MAX_INSTANCES = 100

function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

/**
 * Claims a storage folder for this process: `instance.pid` beside it (`stateDirFor`) names its owner. A
 * configured folder is used as configured (the user chose to share it); the default one, when a
 * live process holds it, moves on to `<folder>-2`, `<folder>-3`, … so instances started in the same
 * directory never write, serve or reset each other's files. A folder whose owner died is taken
 * over, so a restart finds its files and its pending uploads again.
 */
export async function claimStorageFolder(
  folder: string,
  isDefault: boolean,
): Promise<{ readonly dir: string; release(): Promise<void> }> {
  for (let n = 1; n <= (isDefault ? MAX_INSTANCES : 1); n += 1) {
    const dir = n === 1 ? folder : `${folder}-${n}`
    const lock = join(stateDirFor(dir), LOCK_FILE)
    const owner = Number((await readFile(lock, 'utf8').catch(() => '')).trim())
    if (isDefault && Number.isInteger(owner) && owner > 0 && owner !== process.pid && alive(owner))
      continue
    await mkdir(stateDirFor(dir), { recursive: true })
    await writeFile(lock, `${process.pid}\n`)
    return {
      dir,
      release: async () => {
        const now = (await readFile(lock, 'utf8').catch(() => '')).trim()
        if (now === String(process.pid)) await rm(lock, { force: true })
      },
    }
  }
  return { dir: folder, release: () => Promise.resolve() }
}
