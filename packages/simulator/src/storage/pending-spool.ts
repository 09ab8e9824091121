import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { checkPayload } from '@ccai-sim/schemas'
import { z } from 'zod'
import { SimulatorError } from '../errors.js'

/*
 * A persisted queue of pending work, one file per item, written before the work is acknowledged:
 * adding an item is one atomic file write and finishing it one unlink, so `kill -9` at any moment
 * loses nothing and a long outage costs O(1) per item (a single JSON file rewritten per change would
 * cost O(n)). `load` returns the items in the order they were added, across restarts.
 *
 * Written for the storage sinks' uploads; generic over the item, so other delivery queues can use it.
 */

const SPOOL_VERSION = 1
const NAME = /^(\d{16})\.json$/

const SpooledSchema = z.object({ version: z.literal(SPOOL_VERSION), item: z.unknown() })

export class PendingSpool<T> {
  readonly dir: string
  private readonly schema: z.ZodType<T>
  private next = 0
  private ready: Promise<void> | undefined

  constructor(dir: string, schema: z.ZodType<T>) {
    this.dir = dir
    this.schema = schema
  }

  /** Every item still pending, oldest first, with the id `remove` takes. Throws naming a corrupt file. */
  async load(): Promise<{ id: string; item: T }[]> {
    await this.prepare()
    const names = (await readdir(this.dir)).filter((n) => NAME.test(n)).sort()
    const out: { id: string; item: T }[] = []
    for (const name of names) {
      const path = join(this.dir, name)
      let value: unknown
      try {
        value = JSON.parse(await readFile(path, 'utf8')) as unknown
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue
        throw new SimulatorError(
          'invalid_config',
          `${path}: not a pending item (${error instanceof Error ? error.message : String(error)}); delete it to start without it`,
        )
      }
      const envelope = checkPayload(SpooledSchema, value)
      const item = envelope.ok ? checkPayload(this.schema, envelope.value.item) : envelope
      if (!item.ok) {
        throw new SimulatorError(
          'invalid_config',
          `${path}: ${item.issues.map((i) => i.message).join('; ')}`,
          { issues: item.issues },
        )
      }
      out.push({ id: name, item: item.value })
    }
    return out
  }

  /** Persists one item (write then rename: never half a file); resolves once it is on disk. */
  async add(item: T): Promise<string> {
    await this.prepare()
    this.next += 1
    const id = `${String(this.next).padStart(16, '0')}.json`
    const path = join(this.dir, id)
    const temporary = `${path}.${process.pid}.partial`
    await writeFile(temporary, JSON.stringify({ version: SPOOL_VERSION, item }))
    await rename(temporary, path)
    return id
  }

  async remove(id: string): Promise<void> {
    if (!NAME.test(id)) return
    await rm(join(this.dir, id), { force: true })
  }

  /** Creates the folder and continues numbering after the highest id already there. */
  private prepare(): Promise<void> {
    this.ready ??= (async () => {
      await mkdir(this.dir, { recursive: true })
      for (const name of await readdir(this.dir)) {
        const match = NAME.exec(name)
        if (match?.[1] !== undefined) this.next = Math.max(this.next, Number(match[1]))
        // A write that a crash cut short was never acknowledged.
        else if (name.endsWith('.partial')) await rm(join(this.dir, name), { force: true })
      }
    })()
    return this.ready
  }
}
