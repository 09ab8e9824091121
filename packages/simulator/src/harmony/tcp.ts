import { createServer, type Server, type Socket } from 'node:net'
import type { HarmonyOutgoing, HarmonyPeer } from './peer.js'

/*
 * The documented TCP/IP socket transport of the Harmony network core (reference §1.2): each frame
 * is the boundary `~!OM` (4 bytes), a 1-byte protocol index and a 4-byte length, then the JSON
 * body. The documents state neither the byte order nor the protocol indexes: we read the length
 * big-endian (network order), carry Session Resource messages on index 1 and keep index 0 for the
 * transport's own messages (the `ERROR` a bad frame gets before the socket closes).
 */

export const HARMONY_FRAME_BOUNDARY = Buffer.from('~!OM', 'latin1')
/** Protocol index of Session Resource JSON (ours: the documents do not number them). */
export const HARMONY_PROTOCOL_SESSION = 1
/** Protocol index of the transport's own messages (handshake, errors). */
export const HARMONY_PROTOCOL_TRANSPORT = 0
const HEADER_BYTES = 9
/** A frame longer than this is refused as an error, not buffered. */
export const HARMONY_MAX_FRAME_BYTES = 1024 * 1024

export function encodeHarmonyFrame(body: unknown, protocol = HARMONY_PROTOCOL_SESSION): Buffer {
  const json = Buffer.from(JSON.stringify(body), 'utf8')
  const header = Buffer.alloc(HEADER_BYTES)
  HARMONY_FRAME_BOUNDARY.copy(header, 0)
  header.writeUInt8(protocol, 4)
  header.writeUInt32BE(json.length, 5)
  return Buffer.concat([header, json])
}

export interface HarmonyFrame {
  readonly protocol: number
  readonly body: string
}

/** Splits a byte stream into frames; `push` throws on a bad boundary or an oversized frame. */
export class HarmonyFrameDecoder {
  private buffer = Buffer.alloc(0)

  push(chunk: Buffer): HarmonyFrame[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const frames: HarmonyFrame[] = []
    for (;;) {
      const have = Math.min(this.buffer.length, HARMONY_FRAME_BOUNDARY.length)
      if (!this.buffer.subarray(0, have).equals(HARMONY_FRAME_BOUNDARY.subarray(0, have))) {
        throw new Error(
          `bad frame boundary: expected "~!OM", received ${JSON.stringify(this.buffer.subarray(0, 4).toString('latin1'))}`,
        )
      }
      if (this.buffer.length < HEADER_BYTES) return frames
      const length = this.buffer.readUInt32BE(5)
      if (length > HARMONY_MAX_FRAME_BYTES) {
        throw new Error(
          `frame length ${String(length)} is over the limit of ${String(HARMONY_MAX_FRAME_BYTES)} bytes`,
        )
      }
      if (this.buffer.length < HEADER_BYTES + length) return frames
      const protocol = this.buffer.readUInt8(4)
      const body = this.buffer.subarray(HEADER_BYTES, HEADER_BYTES + length).toString('utf8')
      this.buffer = this.buffer.subarray(HEADER_BYTES + length)
      frames.push({ protocol, body })
    }
  }
}

export interface HarmonyTcpServer {
  readonly port: number
  close(): Promise<void>
}

/** Parses a frame body; a body that is not JSON reaches the peer as text (it answers the failure). */
function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return body
  }
}

function serveSocket(peer: HarmonyPeer, socket: Socket): void {
  const decoder = new HarmonyFrameDecoder()
  const write = (body: HarmonyOutgoing | Record<string, unknown>, protocol: number): void => {
    if (!socket.destroyed) socket.write(encodeHarmonyFrame(body, protocol))
  }
  const link = peer.connect({
    transport: 'tcp',
    send: (message) => {
      write(message, HARMONY_PROTOCOL_SESSION)
    },
  })
  socket.on('data', (chunk) => {
    let frames: HarmonyFrame[]
    try {
      frames = decoder.push(chunk)
    } catch (error) {
      // The documented reaction to a bad boundary: an ERROR message, then the socket closes.
      write(
        { type: 'ERROR', message: error instanceof Error ? error.message : String(error) },
        HARMONY_PROTOCOL_TRANSPORT,
      )
      socket.end()
      link.close()
      return
    }
    for (const frame of frames) {
      if (frame.protocol !== HARMONY_PROTOCOL_SESSION) {
        write(
          {
            type: 'ERROR',
            message: `protocol index ${String(frame.protocol)} is not served; Session Resource messages travel on index ${String(HARMONY_PROTOCOL_SESSION)}`,
          },
          HARMONY_PROTOCOL_TRANSPORT,
        )
        continue
      }
      link.receive(parseBody(frame.body))
    }
  })
  socket.on('close', () => {
    link.close()
  })
  socket.on('error', () => {
    link.close()
  })
}

/** Listens for `~!OM` framed clients (port 0 picks a free one). */
export function startHarmonyTcpServer(options: {
  readonly peer: HarmonyPeer
  readonly host: string
  readonly port: number
}): Promise<HarmonyTcpServer> {
  const sockets = new Set<Socket>()
  const server: Server = createServer((socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
    serveSocket(options.peer, socket)
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, options.host, () => {
      const address = server.address()
      const port = typeof address === 'object' && address ? address.port : options.port
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy()
            server.close(() => {
              done()
            })
          }),
      })
    })
  })
}
