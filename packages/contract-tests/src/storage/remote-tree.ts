import { createHash } from 'node:crypto'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { Storage } from '@google-cloud/storage'
import ssh2, { type SFTPWrapper } from 'ssh2'

/*
 * A storage tree that lives elsewhere: an SFTP server (`sftp://user@host:port/path`, as the platform
 * pushes to one) or a Cloud Storage bucket (`gs://bucket/prefix`, with `endpoint` for an emulator or
 * the simulator's JSON API). It is copied into a temporary folder first, so the suite checks exactly
 * the bytes the server holds, with the same clauses as a local folder.
 */

export interface RemoteTreeOptions {
  /** `gs://` only: another Cloud Storage endpoint (`http://127.0.0.1:4010` for the simulator). */
  readonly endpoint?: string | undefined
  /** `sftp://` only: the password (also accepted in the URL) or a private key file. */
  readonly password?: string | undefined
  readonly identity?: string | undefined
  /** `sftp://` only: refuse a server whose host key has another `SHA256:` fingerprint. */
  readonly hostKey?: string | undefined
}

export class RemoteTreeError extends Error {
  override readonly name = 'RemoteTreeError'
}

/** True for the sources this module reads. */
export function isRemoteSource(source: string): boolean {
  return /^(sftp|gs):\/\//i.test(source)
}

/** Copies the tree into a new temporary folder; `cleanup` removes it. */
export async function downloadTree(
  source: string,
  options: RemoteTreeOptions = {},
): Promise<{ readonly dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ccai-contract-tree-'))
  const cleanup = (): Promise<void> => rm(dir, { recursive: true, force: true })
  try {
    const url = new URL(source)
    if (url.protocol === 'gs:') await downloadBucket(url, dir, options)
    else await downloadSftp(url, dir, options)
    return { dir, cleanup }
  } catch (error) {
    await cleanup()
    throw error instanceof RemoteTreeError
      ? error
      : new RemoteTreeError(`${source}: ${error instanceof Error ? error.message : String(error)}`)
  }
}

/** A relative object or file path that is safe to create under `dir` (no `..`, not absolute). */
function localPath(dir: string, relative: string): string | undefined {
  const parts = relative.split('/').filter((p) => p !== '')
  if (parts.length === 0 || parts.some((p) => p === '.' || p === '..' || p.includes('\\')))
    return undefined
  return join(dir, ...parts)
}

async function downloadBucket(url: URL, dir: string, options: RemoteTreeOptions): Promise<void> {
  const prefix = decodeURIComponent(url.pathname.replace(/^\/+/, ''))
  const storage = new Storage(
    options.endpoint === undefined ? {} : { apiEndpoint: options.endpoint },
  )
  const [files] = await storage
    .bucket(url.hostname)
    .getFiles(prefix === '' ? {} : { prefix: prefix.endsWith('/') ? prefix : `${prefix}/` })
  for (const file of files) {
    const relative = prefix === '' ? file.name : file.name.slice(prefix.replace(/\/?$/, '/').length)
    const target = localPath(dir, relative)
    if (target === undefined || file.name.endsWith('/')) continue
    const [bytes] = await file.download()
    await mkdir(dirname(target), { recursive: true })
    await writeFile(target, bytes)
  }
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

async function downloadSftp(url: URL, dir: string, options: RemoteTreeOptions): Promise<void> {
  const password =
    options.password ?? (url.password === '' ? undefined : decodeURIComponent(url.password))
  const privateKey =
    options.identity === undefined ? undefined : await readFile(options.identity, 'utf8')
  if (password === undefined && privateKey === undefined) {
    throw new RemoteTreeError(
      `${url.protocol}//${url.host}: expected a password (--password or in the URL) or a key (--identity), received neither`,
    )
  }
  const client = new ssh2.Client()
  const pin = options.hostKey
  const sftp = await new Promise<SFTPWrapper>((resolve, reject) => {
    client.once('ready', () => {
      client.sftp((error, session) => {
        if (error) reject(error)
        else resolve(session)
      })
    })
    client.once('error', reject)
    client.connect({
      host: url.hostname,
      port: url.port === '' ? 22 : Number(url.port),
      username: decodeURIComponent(url.username),
      ...(password === undefined ? {} : { password }),
      ...(privateKey === undefined ? {} : { privateKey }),
      readyTimeout: 20_000,
      ...(pin === undefined
        ? {}
        : {
            hostVerifier: (key: Buffer): boolean =>
              `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}` ===
              pin,
          }),
    })
  })
  try {
    const root = decodeURIComponent(url.pathname) === '' ? '/' : decodeURIComponent(url.pathname)
    const walk = async (remote: string, relative: string): Promise<void> => {
      const entries = await call<ssh2.FileEntryWithStats[]>((cb) => {
        sftp.readdir(remote, cb)
      })
      for (const entry of entries) {
        if (entry.filename === '.' || entry.filename === '..') continue
        const childRemote = `${remote.replace(/\/+$/, '')}/${entry.filename}`
        const childRelative = relative === '' ? entry.filename : `${relative}/${entry.filename}`
        const target = localPath(dir, childRelative)
        if (target === undefined) continue
        if (entry.attrs.isDirectory()) {
          await mkdir(target, { recursive: true })
          await walk(childRemote, childRelative)
        } else if (entry.attrs.isFile()) {
          const bytes = await call<Buffer>((cb) => {
            sftp.readFile(childRemote, cb)
          })
          await mkdir(dirname(target), { recursive: true })
          await writeFile(target, bytes)
        }
      }
    }
    await walk(root, '')
  } finally {
    client.end()
  }
}
