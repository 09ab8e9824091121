import type { Server } from 'node:http'
import type { Duplex } from 'node:stream'
import type { Problem } from '@ccai-sim/schemas'
import { PROBLEM_TITLES, SIMULATOR_ERROR_CODES } from '../errors.js'

/*
 * Requests Node's HTTP parser refuses never reach the app: an unknown method token (`FOO /x`), a
 * malformed header, headers past the size limit. Node's own answer is a bare `400 Bad Request`
 * without a body; this one is problem+json like every other 4xx of the simulator (`bad_request`,
 * naming what the parser found). A socket that is gone or timed out is only closed.
 */

interface ParserError extends Error {
  readonly code?: string
  readonly reason?: string
}

const HEADERS_TOO_LARGE = 'HPE_HEADER_OVERFLOW'

/** What a parser error says, for the problem's detail. */
function detailOf(error: ParserError): string {
  if (error.code === HEADERS_TOO_LARGE)
    return 'the request headers are larger than the server accepts'
  const reason = error.reason ?? error.message
  return `the request is not valid HTTP/1.1: ${reason} (${error.code ?? 'parse error'})`
}

/** Answers requests the HTTP parser refuses with a problem+json `bad_request` and closes. */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: ParserError, socket: Duplex) => {
    if (
      error.code === 'ECONNRESET' ||
      error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ||
      !socket.writable
    ) {
      socket.destroy()
      return
    }
    const status = SIMULATOR_ERROR_CODES.bad_request
    const problem: Problem = {
      type: 'bad_request',
      title: PROBLEM_TITLES.bad_request,
      status,
      detail: detailOf(error),
    }
    const body = JSON.stringify(problem)
    socket.end(
      `HTTP/1.1 ${String(status)} Bad Request\r\n` +
        'content-type: application/problem+json\r\n' +
        `content-length: ${String(Buffer.byteLength(body))}\r\n` +
        'connection: close\r\n\r\n' +
        body,
    )
  })
}
