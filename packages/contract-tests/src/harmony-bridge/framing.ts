/*
 * The Processor Bridge's wire format (reference §1.5.6): each message is a 4-byte unsigned length
 * and then that many bytes of UTF-8 JSON `{header, body}`. The documents do not state the byte
 * order: like the simulator's `~!OM` transport we read and write it big-endian (network order).
 */

/** A message longer than this is refused as a framing error, not buffered. */
export const BRIDGE_MAX_FRAME_BYTES = 4 * 1024 * 1024

/** One JSON message as the bridge protocol frames it. */
export function encodeBridgeFrame(message: unknown): Buffer {
  const json = Buffer.from(JSON.stringify(message), 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(json.length, 0)
  return Buffer.concat([length, json])
}

/** A frame the decoder could not read: what it expected and what came. */
export class BridgeFramingError extends Error {
  override readonly name = 'BridgeFramingError'
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Splits a byte stream into the JSON values of its frames. `push` throws a
 * {@link BridgeFramingError} on an oversized length (a little-endian length reads as one), bytes
 * that are not UTF-8, or a body that is not JSON.
 */
export class BridgeFrameDecoder {
  private buffer = Buffer.alloc(0)

  push(chunk: Buffer): unknown[] {
    this.buffer = Buffer.concat([this.buffer, chunk])
    const values: unknown[] = []
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0)
      if (length > BRIDGE_MAX_FRAME_BYTES) {
        throw new BridgeFramingError(
          `length prefix ${String(length)} (bytes ${this.buffer.subarray(0, 4).toString('hex')}) is over ${String(BRIDGE_MAX_FRAME_BYTES)} bytes: expected a 4-byte big-endian length`,
        )
      }
      if (this.buffer.length < 4 + length) break
      const bytes = this.buffer.subarray(4, 4 + length)
      this.buffer = this.buffer.subarray(4 + length)
      let text: string
      try {
        text = utf8.decode(bytes)
      } catch {
        throw new BridgeFramingError(`a frame of ${String(length)} bytes is not UTF-8`)
      }
      try {
        values.push(JSON.parse(text))
      } catch (error) {
        throw new BridgeFramingError(
          `a frame of ${String(length)} bytes is not JSON (${error instanceof Error ? error.message : String(error)}): ${text.slice(0, 200)}`,
        )
      }
    }
    return values
  }

  /** Bytes received that do not yet make a whole frame. */
  get pending(): number {
    return this.buffer.length
  }
}
