import { execFile, spawn, type ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { chmod, chown, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { createConnection, createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'

/*
 * A real OpenSSH server for the SFTP sink's tests: Debian's `openssh-server` (`.ci/run` installs
 * it; tests fail, never skip, when it is missing), started on a free loopback port with a throwaway
 * host key, a throwaway system user (password and key), SFTP only (`ForceCommand internal-sftp`).
 * Needs root, which CI and this sandbox have.
 */

export const SSHD_PATH = '/usr/sbin/sshd'
const run = promisify(execFile)

export interface OpenSshServer {
  readonly host: string
  readonly port: number
  readonly user: string
  readonly password: string
  /** The user's private key (OpenSSH format) and its file. */
  readonly privateKey: string
  readonly privateKeyFile: string
  /** The server's host key fingerprint, `SHA256:…`. */
  readonly hostFingerprint: string
  /** The user's home: where uploads land (the SFTP session starts there). */
  readonly home: string
  /** Stops the server and cuts every open session, as a crash or a maintenance window would. */
  stop(): Promise<void>
  /** Starts it again on the same port (nothing when it runs). */
  start(): Promise<void>
  close(): Promise<void>
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : 0
      server.close(() => {
        resolve(port)
      })
    })
  })
}

export async function startOpenSsh(): Promise<OpenSshServer> {
  const dir = await mkdtemp(join(tmpdir(), 'ccai-sim-sshd-'))
  await chmod(dir, 0o755)
  const user = `ccaisim${randomBytes(4).toString('hex')}`
  const password = randomBytes(12).toString('base64url')
  const home = join(dir, 'home')
  await mkdir(home)
  await run('useradd', ['--no-create-home', '--home-dir', home, '--shell', '/bin/sh', user])
  await chown(
    home,
    Number((await run('id', ['-u', user])).stdout),
    Number((await run('id', ['-g', user])).stdout),
  )
  await run('sh', ['-c', `echo '${user}:${password}' | chpasswd`])
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'host_key')])
  await run('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', join(dir, 'user_key')])
  await writeFile(join(dir, 'authorized_keys'), await readFile(join(dir, 'user_key.pub')))
  const fingerprint = (await run('ssh-keygen', ['-l', '-f', join(dir, 'host_key.pub')])).stdout
  const hostFingerprint = /SHA256:\S+/.exec(fingerprint)?.[0] ?? ''
  await mkdir('/run/sshd', { recursive: true })
  const port = await freePort()
  const config = join(dir, 'sshd_config')
  await writeFile(
    config,
    [
      `ListenAddress 127.0.0.1`,
      `HostKey ${join(dir, 'host_key')}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PasswordAuthentication yes',
      'KbdInteractiveAuthentication no',
      'PubkeyAuthentication yes',
      'UsePAM no',
      'StrictModes no',
      `AllowUsers ${user}`,
      'Subsystem sftp internal-sftp',
      'ForceCommand internal-sftp',
      'MaxStartups 100',
      'LogLevel ERROR',
      '',
    ].join('\n'),
  )
  let child: ChildProcess | undefined
  const start = async (): Promise<void> => {
    if (child && child.exitCode === null && child.signalCode === null) return
    const started = spawn(SSHD_PATH, ['-D', '-e', '-f', config, '-p', String(port)], {
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    child = started
    let stderr = ''
    started.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString()
    })
    // sshd prints nothing when ready at LogLevel ERROR: wait until the port accepts (or sshd dies).
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null): void => {
        reject(new Error(`sshd exited (${String(code)}): ${stderr}`))
      }
      started.once('exit', onExit)
      const probe = (): void => {
        const socket = createConnection(port, '127.0.0.1')
        socket.once('data', () => {
          socket.destroy()
          started.off('exit', onExit)
          resolve()
        })
        socket.once('error', () => {
          socket.destroy()
          setImmediate(probe)
        })
      }
      probe()
    })
  }
  const stop = async (): Promise<void> => {
    const current = child
    child = undefined
    if (!current?.pid || current.exitCode !== null || current.signalCode !== null) return
    const exited = new Promise((resolve) => current.once('exit', resolve))
    // The session processes first (sshd puts each in its own session), then the listener.
    for (const pid of await descendants(current.pid)) {
      try {
        process.kill(pid, 'SIGKILL')
      } catch {
        // Already gone.
      }
    }
    try {
      process.kill(current.pid, 'SIGKILL')
    } catch {
      // Already gone.
    }
    await exited
  }
  await start()
  return {
    host: '127.0.0.1',
    port,
    user,
    password,
    privateKey: await readFile(join(dir, 'user_key'), 'utf8'),
    privateKeyFile: join(dir, 'user_key'),
    hostFingerprint,
    home,
    stop,
    start,
    close: async () => {
      await stop()
      await run('userdel', [user]).catch(() => undefined)
      await rm(dir, { recursive: true, force: true })
    },
  }
}

/** Every process descended from `pid` (from /proc): the session processes sshd forked. */
async function descendants(pid: number): Promise<number[]> {
  const parents = new Map<number, number>()
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue
    const stat = await readFile(`/proc/${name}/stat`, 'utf8').catch(() => '')
    // Field 4 is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
    if (Number.isInteger(ppid)) parents.set(Number(name), ppid)
  }
  const out: number[] = []
  const walk = (parent: number): void => {
    for (const [child, ppid] of parents) {
      if (ppid === parent) {
        out.push(child)
        walk(child)
      }
    }
  }
  walk(pid)
  return out
}
