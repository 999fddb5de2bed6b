import type { Duplex } from 'node:stream';
import { errorReply } from '../http/responses';

// Node answers requests it cannot even parse itself, as bare text; these answers keep the
// JSON error shape of every other response.
const CLIENT_ERRORS: Record<string, [status: number, text: string, reason: string]> = {
  HPE_HEADER_OVERFLOW: [431, 'Request Header Fields Too Large', 'request headers too large'],
  ERR_HTTP_REQUEST_TIMEOUT: [408, 'Request Timeout', 'request timeout'],
};

// How long a connection answered that way may stay open for its client to close it.
const LINGER_MS = 2_000;

/**
 * Answers a request Node's parser refused (`clientError`: malformed, headers too large, or
 * too slow) in the service's JSON error shape, then closes the connection.
 */
export function answerClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const [status, text, reason] = CLIENT_ERRORS[error.code ?? ''] ?? [400, 'Bad Request', 'malformed HTTP request'];
  const { body } = errorReply(status, reason);
  // A lingering close, as HTTP servers do: closing with unread bytes from the client would
  // make the kernel reset the connection, and the client could lose the answer, so whatever
  // else it sends is read and dropped. The socket closes when the client closes its side, or
  // at the deadline: a client that never does (a slowloris waiting out the header timeout)
  // would otherwise hold the descriptor forever.
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
  socket.end(
    `HTTP/1.1 ${status} ${text}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
  );
}
