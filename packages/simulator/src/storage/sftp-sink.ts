import { createHash } from 'node:crypto'
import type { Client, ConnectConfig, SFTPWrapper } from 'ssh2'
import type { StorageSinkConfig } from '../config.js'
import type { PushSink, UploadFile } from './upload-queue.js'

type SftpSinkConfig = Extract<StorageSinkConfig, { type: 'sftp' }>

/** OpenSSH's fingerprint of a host key blob: `SHA256:` and unpadded base64, as `ssh-keygen -lf` prints it. */
export function sshFingerprint(keyBlob: Buffer): string {
  return `SHA256:${createHash('sha256').update(keyBlob).digest('base64').replace(/=+$/, '')}`
}

function call<T>(
  run: (callback: (error: Error | null | undefined, value: T) => void) => void,
): Promise<T> {
  return new Promise((resolve, reject) => {
    run((error, value) => {
      if (error) reject(error)
      else resolve(value)
    })
  })
}

/** `a/b/c.json` under `folder`, as a server path (`folder` `.` is the login folder). */
function remotePath(folder: string, path: string): string {
  const base = folder.replace(/\/+$/, '')
  return base === '' ? `/${path}` : base === '.' ? path : `${base}/${path}`
}

/**
 * Pushes files to an SFTP server the way the platform does (seed 000, "External storage": SFTP with
 * a user and a password or key). One connection is kept open and reopened after any failure;
 * folders are created as needed; each file is written as `<name>.partial` and renamed over the
 * target (OpenSSH's `posix-rename` when the server offers it, which replaces atomically), so a
 * poller never reads half a file.
 */
export class SftpPushSink implements PushSink {
  readonly id: string
  private readonly connectConfig: ConnectConfig
  private readonly folder: string
  private session: Promise<{ client: Client; sftp: SFTPWrapper }> | undefined
  private readonly knownFolders = new Set<string>()
  private counter = 0

  constructor(config: SftpSinkConfig, privateKey?: string) {
    const folder = config.folder.replace(/\/+$/, '') || '/'
    this.folder = folder
    this.id = `sftp://${config.user}@${config.host}:${config.port}${folder.startsWith('/') ? '' : '/'}${folder === '.' ? '' : folder}`
    const pin = config.hostKey
    this.connectConfig = {
      host: config.host,
      port: config.port,
      username: config.user,
      ...(config.password === undefined ? {} : { password: config.password }),
      ...(privateKey === undefined ? {} : { privateKey }),
      ...(config.passphrase === undefined ? {} : { passphrase: config.passphrase }),
      readyTimeout: 20_000,
      ...(pin === undefined
        ? {}
        : { hostVerifier: (key: Buffer): boolean => sshFingerprint(key) === pin }),
    }
  }

  async upload(file: UploadFile, signal: AbortSignal): Promise<void> {
    const onAbort = (): void => {
      this.drop()
    }
    signal.addEventListener('abort', onAbort, { once: true })
    try {
      const { sftp } = await this.connect()
      const target = remotePath(this.folder, file.path)
      await this.ensureFolder(sftp, target.slice(0, target.lastIndexOf('/')))
      this.counter += 1
      const temporary = `${target}.${process.pid}.${this.counter}.partial`
      await call<undefined>((cb) => {
        sftp.writeFile(temporary, Buffer.from(file.content), (error) => {
          cb(error, undefined)
        })
      })
      await this.replace(sftp, temporary, target)
    } catch (error) {
      // The connection may be half-broken; the next attempt starts a new one.
      this.drop()
      throw error
    } finally {
      signal.removeEventListener('abort', onAbort)
    }
  }

  close(): Promise<void> {
    this.drop()
    return Promise.resolve()
  }

  private async replace(sftp: SFTPWrapper, from: string, to: string): Promise<void> {
    try {
      await call<undefined>((cb) => {
        sftp.ext_openssh_rename(from, to, (error) => {
          cb(error, undefined)
        })
      })
      return
    } catch (error) {
      // No posix-rename extension: plain SFTP rename refuses an existing target, so remove it first.
      if (!/not supported|unsupported/i.test(String(error))) throw error
    }
    await call<undefined>((cb) => {
      sftp.unlink(to, () => {
        cb(undefined, undefined)
      })
    })
    await call<undefined>((cb) => {
      sftp.rename(from, to, (error) => {
        cb(error, undefined)
      })
    })
  }

  private async ensureFolder(sftp: SFTPWrapper, folder: string): Promise<void> {
    if (folder === '' || folder === '.' || this.knownFolders.has(folder)) return
    const parts = folder.split('/')
    for (let i = 1; i <= parts.length; i += 1) {
      const path = parts.slice(0, i).join('/')
      if (path === '' || path === '.' || this.knownFolders.has(path)) continue
      const exists = await call<boolean>((cb) => {
        sftp.stat(path, (error, stats) => {
          cb(undefined, !error && stats.isDirectory())
        })
      })
      if (!exists) {
        await call<undefined>((cb) => {
          sftp.mkdir(path, (error) => {
            cb(
              error ? new Error(`cannot create folder ${path}: ${error.message}`) : undefined,
              undefined,
            )
          })
        })
      }
      this.knownFolders.add(path)
    }
  }

  private connect(): Promise<{ client: Client; sftp: SFTPWrapper }> {
    // ssh2 is loaded when a push first needs it: `serve` without an SFTP sink never pays for it.
    this.session ??= import('ssh2').then(
      ({ default: ssh2 }) =>
        new Promise((resolve, reject) => {
          const client = new ssh2.Client()
          client.once('ready', () => {
            client.sftp((error, sftp) => {
              if (error) {
                client.end()
                reject(error)
              } else resolve({ client, sftp })
            })
          })
          client.once('error', (error: Error) => {
            this.drop()
            reject(
              /verification failed/i.test(error.message)
                ? new Error(
                    `host key of ${this.connectConfig.host ?? ''} does not match the pinned fingerprint`,
                  )
                : error,
            )
          })
          client.once('close', () => {
            this.drop()
            reject(new Error('connection closed'))
          })
          client.connect(this.connectConfig)
        }),
    )
    return this.session
  }

  private drop(): void {
    const session = this.session
    this.session = undefined
    this.knownFolders.clear()
    void session?.then(
      ({ client }) => {
        client.end()
      },
      () => undefined,
    )
  }
}
