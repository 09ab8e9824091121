import type { Storage } from '@google-cloud/storage'
import type { StorageSinkConfig } from '../config.js'
import type { PushSink, UploadFile } from './upload-queue.js'

type GcsSinkConfig = Extract<StorageSinkConfig, { type: 'gcs' }>

/**
 * Pushes files to a Cloud Storage bucket through the official client, as the platform does (seed
 * 000, "External storage": a bucket and a service account). Each file is one single-request
 * (multipart) upload, which Cloud Storage makes visible atomically. The client's own retries are off:
 * the upload queue retries, journals every attempt and keeps the file pending across restarts.
 */
export class GcsPushSink implements PushSink {
  readonly id: string
  // The official client takes seconds to load: it is loaded at the first upload, so `serve`
  // without a `gcs` sink never pays for it.
  private storage: Promise<Storage> | undefined
  private readonly options: ConstructorParameters<typeof Storage>[0]
  private readonly bucket: string
  private readonly prefix: string

  constructor(config: GcsSinkConfig) {
    this.bucket = config.bucket
    this.prefix = config.prefix.replace(/^\/+|\/+$/g, '')
    this.id = `gs://${config.bucket}${this.prefix === '' ? '' : `/${this.prefix}`}`
    this.options = {
      ...(config.apiEndpoint === undefined ? {} : { apiEndpoint: config.apiEndpoint }),
      ...(config.keyFile === undefined ? {} : { keyFilename: config.keyFile }),
      ...(config.projectId === undefined ? {} : { projectId: config.projectId }),
      retryOptions: { autoRetry: false },
    }
  }

  async upload(file: UploadFile, signal: AbortSignal): Promise<void> {
    signal.throwIfAborted()
    const name = this.prefix === '' ? file.path : `${this.prefix}/${file.path}`
    this.storage ??= import('@google-cloud/storage').then(
      ({ Storage }) => new Storage(this.options),
    )
    const storage = await this.storage
    await storage
      .bucket(this.bucket)
      .file(name)
      .save(Buffer.from(file.content), {
        resumable: false,
        contentType: file.contentType,
        metadata: { contentType: file.contentType },
      })
  }

  close(): Promise<void> {
    return Promise.resolve()
  }
}
