import { Duplex } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { answerClientError } from './client-error';

afterEach(() => {
  vi.useRealTimers();
});

/** A socket that records what is written to it; `writable: false` is one already shut. */
function fakeSocket({ writable = true } = {}): { socket: Duplex; written: () => string } {
  let text = '';
  const socket = new Duplex({
    read() {},
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  if (!writable) socket.end();
  return { socket, written: () => text };
}

const failure = (code: string) => Object.assign(new Error(code), { code });

describe('answerClientError', () => {
  it.each([
    ['HPE_INVALID_METHOD', '400 Bad Request', 'malformed HTTP request'],
    ['HPE_HEADER_OVERFLOW', '431 Request Header Fields Too Large', 'request headers too large'],
    ['ERR_HTTP_REQUEST_TIMEOUT', '408 Request Timeout', 'request timeout'],
  ])('answers %s with %s in the JSON error shape, and closes', async (code, status, reason) => {
    const { socket, written } = fakeSocket();
    answerClientError(failure(code), socket);
    await new Promise((resolve) => socket.once('finish', resolve));
    const body = `{"status":"error","reason":"${reason}"}`;
    expect(written()).toBe(
      `HTTP/1.1 ${status}\r\ncontent-type: application/json\r\ncontent-length: ${body.length}\r\nconnection: close\r\n\r\n${body}`,
    );
  });

  it('reads and drops what the client still sends, and lets go of the connection after 2 s', () => {
    vi.useFakeTimers();
    const { socket } = fakeSocket();
    answerClientError(failure('HPE_INVALID_METHOD'), socket);
    expect(socket.readableFlowing).toBe(true);
    vi.advanceTimersByTime(1_999);
    expect(socket.destroyed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(socket.destroyed).toBe(true);
  });

  it('keeps no process alive for that deadline', () => {
    const timers = () => process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timers();
    const { socket } = fakeSocket();
    answerClientError(failure('HPE_INVALID_METHOD'), socket);
    expect(timers()).toBe(before);
    socket.destroy();
  });

  it.each([
    ['a connection the client reset', failure('ECONNRESET'), {}],
    ['a connection that can no longer be written', failure('HPE_INVALID_METHOD'), { writable: false }],
  ])('destroys %s without answering', (_, error, options) => {
    const { socket, written } = fakeSocket(options);
    answerClientError(error, socket);
    expect(socket.destroyed).toBe(true);
    expect(written()).toBe('');
  });
});
