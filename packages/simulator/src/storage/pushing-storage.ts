import type { StorageFile } from '@ccai-sim/fixtures'
import type { StorageSink, StoredFileInfo } from '../runtime/sinks.js'
import type { UploadQueue } from './upload-queue.js'

/**
 * The simulator's storage with push sinks behind it: each file is written to the simulator's own
 * store (what `/storage`, the SFTP server and the Cloud Storage API serve) and queued, persisted,
 * for every configured SFTP server and bucket.
 */
export class PushingStorage implements StorageSink {
  readonly store: StorageSink
  private uploads: Pick<UploadQueue, 'enqueue'> | undefined

  constructor(store: StorageSink) {
    this.store = store
  }

  /** The queue is built after the runtime (it journals there); files written before are not pushed. */
  attach(uploads: Pick<UploadQueue, 'enqueue'>): void {
    this.uploads = uploads
  }

  async write(file: StorageFile): Promise<void> {
    await this.store.write(file)
    await this.uploads?.enqueue(file)
  }

  list(): Promise<StoredFileInfo[]> {
    return this.store.list()
  }

  read(path: string): Promise<Uint8Array | undefined> {
    return this.store.read(path)
  }

  /** Empties the simulator's own store; files already queued for the push sinks are still pushed. */
  clear(): Promise<void> {
    return this.store.clear()
  }
}
