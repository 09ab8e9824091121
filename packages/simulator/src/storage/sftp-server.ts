import { createHash, timingSafeEqual } from 'node:crypto'
import type { AddressInfo } from 'node:net'
import ssh2, { type Attributes, type FileEntry, type ParsedKey, type SFTPWrapper } from 'ssh2'
import { SimulatorError } from '../errors.js'
import type { StorageSink } from '../runtime/sinks.js'

/*
 * The simulator's storage over SFTP, read-only, for pipelines that poll the platform's SFTP drop:
 * OpenSSH's `sftp`, `rsync`-over-sftp tools and SFTP client libraries read it unchanged. The file
 * tree is the storage's listing (`ujet-*` folders at the root), not the disk: a path is resolved
 * inside that tree only (`..` stops at the root, as in a chroot), links do not exist, and every
 * request that would change something is refused with SSH_FX_PERMISSION_DENIED.
 */

const { STATUS_CODE, OPEN_MODE } = ssh2.utils.sftp
const S_IFREG = 0o100000
const S_IFDIR = 0o040000
const WRITE_FLAGS = OPEN_MODE.WRITE | OPEN_MODE.APPEND | OPEN_MODE.CREAT | OPEN_MODE.TRUNC

export interface SftpServerOptions {
  readonly storage: StorageSink
  readonly host: string
  /** 0 picks a free one. */
  readonly port: number
  readonly user: string
  readonly password?: string | undefined
  /** OpenSSH `authorized_keys` lines (`ssh-ed25519 AAAA… comment`). */
  readonly authorizedKeys?: readonly string[] | undefined
  /** The host key (OpenSSH or PEM private key); default: a new Ed25519 key. */
  readonly hostKey?: string | undefined
  /** File times (epoch ms); default: the epoch. */
  readonly now?: () => number
}

export interface RunningSftpServer {
  readonly port: number
  /** The host key's public half, `ssh-ed25519 AAAA…`, for a client's known_hosts. */
  readonly hostPublicKey: string
  close(): Promise<void>
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

function parseAuthorizedKey(line: string, index: number): ParsedKey {
  const parsed = ssh2.utils.parseKey(line.trim())
  const key = Array.isArray(parsed) ? (parsed[0] as ParsedKey | undefined) : parsed
  if (!key || key instanceof Error) {
    throw new SimulatorError(
      'invalid_config',
      `storage.serve.sftp.authorizedKeys.${index}: expected an OpenSSH public key line, received "${line.slice(0, 40)}…"${key instanceof Error ? ` (${key.message})` : ''}`,
    )
  }
  return key
}

/** The virtual path of a request, `/`-rooted, with `.` and `..` resolved inside the tree. */
export function resolveVirtualPath(path: string): string {
  const stack: string[] = []
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue
    if (segment === '..') stack.pop()
    else stack.push(segment)
  }
  return `/${stack.join('/')}`
}

type Handle =
  | { readonly kind: 'file'; readonly content: Uint8Array }
  | { readonly kind: 'dir'; readonly entries: FileEntry[]; sent: boolean }

export async function startSftpServer(options: SftpServerOptions): Promise<RunningSftpServer> {
  const keys = (options.authorizedKeys ?? []).map(parseAuthorizedKey)
  const hostKey = options.hostKey ?? ssh2.utils.generateKeyPairSync('ed25519').private
  const parsedHost = ssh2.utils.parseKey(hostKey)
  const hostParsed = Array.isArray(parsedHost) ? (parsedHost[0] as ParsedKey) : parsedHost
  if (hostParsed instanceof Error) {
    throw new SimulatorError(
      'invalid_config',
      `storage.serve.sftp.hostKeyFile: expected a private key, ${hostParsed.message}`,
    )
  }
  const hostPublicKey = `${hostParsed.type} ${hostParsed.getPublicSSH().toString('base64')}`
  const now = options.now ?? (() => 0)
  const storage = options.storage
  const connections = new Set<ssh2.Connection>()

  const server = new ssh2.Server({ hostKeys: [hostKey] }, (client) => {
    connections.add(client)
    client.on('close', () => connections.delete(client))
    client.on('error', () => undefined)
    client.on('authentication', (ctx) => {
      if (ctx.username !== options.user) {
        ctx.reject()
        return
      }
      if (ctx.method === 'password' && options.password !== undefined) {
        if (timingSafeEqual(digest(ctx.password), digest(options.password))) ctx.accept()
        else ctx.reject()
        return
      }
      if (ctx.method === 'publickey') {
        const key = keys.find(
          (k) => k.type === ctx.key.algo && k.getPublicSSH().equals(ctx.key.data),
        )
        if (!key) {
          ctx.reject()
          return
        }
        // Without a signature the client only asks whether the key would do.
        if (ctx.signature === undefined || ctx.blob === undefined) ctx.accept()
        else if (key.verify(ctx.blob, ctx.signature, ctx.hashAlgo)) ctx.accept()
        else ctx.reject()
        return
      }
      const methods: ('password' | 'publickey')[] = []
      if (options.password !== undefined) methods.push('password')
      if (keys.length > 0) methods.push('publickey')
      ctx.reject(methods)
    })
    client.on('ready', () => {
      client.on('session', (accept) => {
        const session = accept()
        session.on('sftp', (acceptSftp) => {
          serveSftp(acceptSftp(), { storage, user: options.user, now })
        })
      })
    })
  })

  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      resolve((server.address() as AddressInfo).port)
    })
  })
  return {
    port,
    hostPublicKey,
    close: () =>
      new Promise((resolve) => {
        for (const client of connections) client.end()
        server.close(() => {
          resolve()
        })
      }),
  }
}

function serveSftp(
  sftp: SFTPWrapper,
  context: { readonly storage: StorageSink; readonly user: string; readonly now: () => number },
): void {
  const { storage, user, now } = context
  const handles = new Map<number, Handle>()
  let nextHandle = 0
  const time = (): number => Math.floor(now() / 1000)
  const fileAttrs = (size: number): Attributes => ({
    mode: S_IFREG | 0o444,
    uid: 0,
    gid: 0,
    size,
    atime: time(),
    mtime: time(),
  })
  const dirAttrs = (): Attributes => ({
    mode: S_IFDIR | 0o555,
    uid: 0,
    gid: 0,
    size: 0,
    atime: time(),
    mtime: time(),
  })
  const longname = (name: string, attrs: Attributes): string => {
    const dir = (attrs.mode & S_IFDIR) !== 0
    const date = new Date(attrs.mtime * 1000).toUTCString().slice(5, 16)
    return `${dir ? 'dr-xr-xr-x' : '-r--r--r--'}    1 ${user} ${user} ${String(attrs.size).padStart(8)} ${date} ${name}`
  }
  /** What a virtual path is: a file (its size), a folder (its children), or nothing. */
  const lookup = async (
    path: string,
  ): Promise<
    { kind: 'file'; size: number } | { kind: 'dir'; children: Map<string, Attributes> } | undefined
  > => {
    const relative = path.slice(1)
    const files = await storage.list()
    const file = files.find((f) => f.path === relative)
    if (file) return { kind: 'file', size: file.bytes }
    const prefix = relative === '' ? '' : `${relative}/`
    const children = new Map<string, Attributes>()
    for (const f of files) {
      if (!f.path.startsWith(prefix)) continue
      const rest = f.path.slice(prefix.length)
      const slash = rest.indexOf('/')
      if (slash < 0) children.set(rest, fileAttrs(f.bytes))
      else children.set(rest.slice(0, slash), dirAttrs())
    }
    return relative === '' || children.size > 0 ? { kind: 'dir', children } : undefined
  }
  const newHandle = (handle: Handle): Buffer => {
    nextHandle += 1
    handles.set(nextHandle, handle)
    const buffer = Buffer.alloc(4)
    buffer.writeUInt32BE(nextHandle)
    return buffer
  }
  const handleOf = (buffer: Buffer): Handle | undefined =>
    buffer.length === 4 ? handles.get(buffer.readUInt32BE(0)) : undefined
  const readOnly = (id: number): void => {
    sftp.status(
      id,
      STATUS_CODE.PERMISSION_DENIED,
      'read-only: the simulator serves its storage for reading',
    )
  }
  const guard = (id: number, work: () => Promise<void>): void => {
    work().catch((error: unknown) => {
      sftp.status(id, STATUS_CODE.FAILURE, error instanceof Error ? error.message : String(error))
    })
  }

  // The client's EOF ends the subsystem: close our side too, or the client waits for it forever.
  sftp.on('end', () => {
    sftp.end()
  })
  sftp.on('REALPATH', (id, path) => {
    const resolved = resolveVirtualPath(path)
    sftp.name(id, [{ filename: resolved, longname: resolved, attrs: dirAttrs() }])
  })
  const stat = (id: number, path: string): void => {
    guard(id, async () => {
      const found = await lookup(resolveVirtualPath(path))
      if (!found) sftp.status(id, STATUS_CODE.NO_SUCH_FILE, 'no such file')
      else sftp.attrs(id, found.kind === 'file' ? fileAttrs(found.size) : dirAttrs())
    })
  }
  sftp.on('STAT', stat)
  sftp.on('LSTAT', stat)
  sftp.on('OPEN', (id, filename, flags) => {
    if ((flags & WRITE_FLAGS) !== 0) {
      readOnly(id)
      return
    }
    guard(id, async () => {
      const path = resolveVirtualPath(filename).slice(1)
      const content = path === '' ? undefined : await storage.read(path)
      if (content === undefined) sftp.status(id, STATUS_CODE.NO_SUCH_FILE, 'no such file')
      else sftp.handle(id, newHandle({ kind: 'file', content }))
    })
  })
  // eslint-disable-next-line max-params -- the SFTP READ request's own fields, as ssh2 passes them
  sftp.on('READ', (id, buffer, offset, length) => {
    const handle = handleOf(buffer)
    if (handle?.kind !== 'file') {
      sftp.status(id, STATUS_CODE.FAILURE, 'not an open file')
      return
    }
    if (offset >= handle.content.byteLength) {
      sftp.status(id, STATUS_CODE.EOF)
      return
    }
    sftp.data(id, Buffer.from(handle.content.subarray(offset, offset + length)))
  })
  sftp.on('FSTAT', (id, buffer) => {
    const handle = handleOf(buffer)
    if (!handle) sftp.status(id, STATUS_CODE.FAILURE, 'not an open handle')
    else sftp.attrs(id, handle.kind === 'file' ? fileAttrs(handle.content.byteLength) : dirAttrs())
  })
  sftp.on('OPENDIR', (id, path) => {
    guard(id, async () => {
      const found = await lookup(resolveVirtualPath(path))
      if (!found) {
        sftp.status(id, STATUS_CODE.NO_SUCH_FILE, 'no such folder')
        return
      }
      if (found.kind === 'file') {
        sftp.status(id, STATUS_CODE.FAILURE, 'not a folder')
        return
      }
      const entries: FileEntry[] = [...found.children.entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([filename, attrs]) => ({ filename, longname: longname(filename, attrs), attrs }))
      sftp.handle(id, newHandle({ kind: 'dir', entries, sent: false }))
    })
  })
  sftp.on('READDIR', (id, buffer) => {
    const handle = handleOf(buffer)
    if (handle?.kind !== 'dir') {
      sftp.status(id, STATUS_CODE.FAILURE, 'not an open folder')
      return
    }
    if (handle.sent || handle.entries.length === 0) {
      sftp.status(id, STATUS_CODE.EOF)
      return
    }
    handle.sent = true
    sftp.name(id, handle.entries)
  })
  sftp.on('CLOSE', (id, buffer) => {
    if (buffer.length === 4) handles.delete(buffer.readUInt32BE(0))
    sftp.status(id, STATUS_CODE.OK)
  })
  sftp.on('READLINK', (id) => {
    sftp.status(id, STATUS_CODE.NO_SUCH_FILE, 'no links here')
  })
  for (const event of [
    'WRITE',
    'FSETSTAT',
    'SETSTAT',
    'REMOVE',
    'RMDIR',
    'MKDIR',
    'RENAME',
    'SYMLINK',
  ] as const) {
    sftp.on(event, (id: number) => {
      readOnly(id)
    })
  }
  sftp.on('EXTENDED', (id: number) => {
    sftp.status(id, STATUS_CODE.OP_UNSUPPORTED, 'no extensions')
  })
}
