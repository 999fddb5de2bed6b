// The 64 KiB body limit, enforced on the bytes read whatever Content-Length says, and other
// requests only a raw client can send.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, cleanUp, post, QUESTION, result, startServer } from './harness';

const LIMIT = 64 * 1024;
const TOO_LARGE = `{"status":"error","reason":"request body too large: at most ${LIMIT} bytes"}`;

let url: string;

beforeAll(async () => {
  url = (await startServer()).server.url;
});
afterAll(cleanUp);

/** A JSON object with the test question, padded to exactly `bytes` bytes. */
function paddedBody(bytes: number): string {
  const bare = JSON.stringify({ question: QUESTION, padding: '' });
  return JSON.stringify({ question: QUESTION, padding: 'x'.repeat(bytes - bare.length) });
}

/** A body stream that never ends on its own: only a server that stops reading can answer it. */
function endlessBody(): ReadableStream<Uint8Array> {
  const chunk = new TextEncoder().encode(`{"question":"${'x'.repeat(16 * 1024)}`);
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(chunk);
    },
  });
}

/** `text` as a body stream of 16 KiB chunks: sent chunked, without Content-Length. */
function chunkedBody(text: string): ReadableStream<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      controller.enqueue(bytes.subarray(offset, offset + 16 * 1024));
      offset += 16 * 1024;
      if (offset >= bytes.length) controller.close();
    },
  });
}

/** Sends raw bytes over one connection and returns everything the server writes back. */
function rawExchange(request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let received = '';
    socket.on('data', (chunk) => {
      received += chunk.toString('utf8');
    });
    // A server that answers and then closes while unread bytes of ours remain makes the kernel
    // reset the connection (RFC 9293 3.6.1); what it wrote before that has still arrived.
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' && received !== '' ? resolve(received) : reject(error),
    );
    socket.on('end', () => resolve(received));
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer')));
    socket.end(request);
  });
}

/**
 * Whether the server still holds the descriptor of its side of the connection from
 * `clientPort`: Linux lists a TCP socket whose owner closed it with inode 0, and drops it
 * once both sides are done.
 */
async function serverSideIsOpen(serverPort: number, clientPort: number): Promise<boolean> {
  const hex = (n: number) => n.toString(16).toUpperCase().padStart(4, '0');
  for (const line of (await readFile('/proc/net/tcp', 'utf8')).split('\n').slice(1)) {
    const [, local, remote, , , , , , , inode] = line.trim().split(/\s+/);
    if (local?.endsWith(`:${hex(serverPort)}`) && remote?.endsWith(`:${hex(clientPort)}`)) return inode !== '0';
  }
  return false;
}

describe('request body limit', () => {
  it('accepts a body of exactly 64 KiB', async () => {
    const body = paddedBody(LIMIT);
    expect(Buffer.byteLength(body)).toBe(LIMIT);
    const answer = await post(url, '/api/global_mean', body);
    expect(answer.status).toBe(200);
    expect((await result(url, (answer.body as { job_id: string }).job_id)).body).toMatchObject({ status: 'done' });
  });

  it('answers 413 to one byte more, declared in Content-Length', async () => {
    const answer = await post(url, '/api/global_mean', paddedBody(LIMIT + 1));
    expect(answer.status).toBe(413);
    expect(answer.text).toBe(TOO_LARGE);
  });

  it('answers 413 to a chunked body without Content-Length, without reading it all', async () => {
    const answer = await call(url, '/api/global_mean', {
      method: 'POST',
      body: endlessBody(),
      duplex: 'half',
    } as RequestInit);
    expect(answer.status).toBe(413);
    expect(answer.text).toBe(TOO_LARGE);
    expect(answer.headers.get('connection')).toBe('close');
  });

  it('counts a chunked body without Content-Length: exactly 64 KiB is accepted, one byte more is not', async () => {
    const send = (bytes: number) =>
      call(url, '/api/global_mean', {
        method: 'POST',
        body: chunkedBody(paddedBody(bytes)),
        duplex: 'half',
      } as RequestInit);
    const accepted = await send(LIMIT);
    expect(accepted.status).toBe(200);
    expect(accepted.body).toEqual({ job_id: expect.stringMatching(/^job_id_\d+$/) });
    const refused = await send(LIMIT + 1);
    expect(refused.status).toBe(413);
    expect(refused.text).toBe(TOO_LARGE);
  });

  it('answers 413 from a Content-Length over the limit without waiting for the body', async () => {
    const response = await rawExchange(
      `POST /api/global_mean HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${LIMIT * 16}\r\n\r\n{"question":`,
    );
    expect(response).toMatch(/^HTTP\/1\.1 413 /);
    expect(response).toContain(TOO_LARGE);
  });

  it('reads no more than a Content-Length that understates the body', async () => {
    const body = paddedBody(LIMIT * 2);
    const response = await rawExchange(
      `POST /api/global_mean HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 12\r\n\r\n${body}`,
    );
    // The declared 12 bytes are the body and the rest is not a request: a 400, never a 413
    // nor a job, and even Node's own parse error answers in the JSON error shape.
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toMatch(/content-type: application\/json/i);
    expect(response).toMatch(
      /\{"status":"error","reason":"(request body must be a JSON object|malformed HTTP request)"\}/,
    );
  });

  it('answers a request Node cannot parse in the JSON error shape', async () => {
    const response = await rawExchange('BREW /pot HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
    expect(response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(response).toMatch(/content-type: application\/json/i);
    expect(response.split('\r\n\r\n')[1]).toBe('{"status":"error","reason":"malformed HTTP request"}');
  });

  // Linux's socket table tells whether the server's side is still held.
  it.runIf(existsSync('/proc/net/tcp'))(
    'closes a connection it answered that way even when the client never closes its side',
    async () => {
      const { hostname, port } = new URL(url);
      const socket = connect({ port: Number(port), host: hostname, allowHalfOpen: true });
      let received = '';
      socket.on('data', (chunk) => {
        received += chunk.toString('utf8');
      });
      socket.write('BREW /pot HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n');
      await once(socket, 'end');
      expect(received).toMatch(/^HTTP\/1\.1 400 /);
      let open = true;
      for (let waited = 0; open && waited < 10_000; waited += 100) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        open = await serverSideIsOpen(Number(port), socket.localPort as number);
      }
      socket.destroy();
      expect(open).toBe(false);
    },
  );

  it("answers 431 in the JSON error shape to headers over Node's limit", async () => {
    const response = await rawExchange(`GET /api/num_jobs HTTP/1.1\r\nHost: x\r\nX-Big: ${'y'.repeat(20_000)}\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 431 /);
    expect(response.split('\r\n\r\n')[1]).toBe('{"status":"error","reason":"request headers too large"}');
  });

  it.each(['a b', '[::1', '%', 'x:99999'])('answers 400 in the JSON error shape to Host: %s', async (host) => {
    const response = await rawExchange(`GET /api/num_jobs HTTP/1.1\r\nHost: ${host}\r\nConnection: close\r\n\r\n`);
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toMatch(/content-type: application\/json/i);
    expect(response.split('\r\n\r\n')[1]).toBe('{"status":"error","reason":"malformed request URL or Host header"}');
  });

  it('answers a job id of dot segments sent as is with "Invalid job_id", not another route', async () => {
    for (const path of [
      '/api/get_results/../..',
      '/api/get_results/..',
      '/api/get_results/./job_id_1',
      '/api/get_results/%2e%2e',
      '/api/get_results/%2E%2e/%2e%2E',
    ]) {
      const response = await rawExchange(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      expect(response, path).toMatch(/^HTTP\/1\.1 400 /);
      expect(response.split('\r\n\r\n')[1]).toMatch(/\{"status":"error","reason":"Invalid job_id"\}/);
    }
  });

  it('answers requests whose target is in absolute form, as proxies send them', async () => {
    const get = await rawExchange(
      'GET http://example.com/api/num_jobs HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(get).toMatch(/^HTTP\/1\.1 200 /);
    expect(get.split('\r\n\r\n')[1]).toMatch(/^\{"num_jobs":\d+\}$/);
    const body = JSON.stringify({ question: QUESTION });
    const submitted = await rawExchange(
      `POST HTTP://127.0.0.1:1/api/global_mean HTTP/1.1\r\nHost: y\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`,
    );
    const { job_id } = JSON.parse(submitted.split('\r\n\r\n')[1] as string);
    expect((await result(url, job_id)).body).toMatchObject({ status: 'done' });
    const query = await rawExchange('GET http://x?y HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    expect(query).toMatch(/^HTTP\/1\.1 404 /);
    const dots = await rawExchange(
      'GET http://x/api/get_results/../.. HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n',
    );
    expect(dots.split('\r\n\r\n')[1]).toBe('{"status":"error","reason":"Invalid job_id"}');
  });

  it('keeps serving after oversized bodies', async () => {
    expect((await call(url, '/api/num_jobs')).status).toBe(200);
  });
});
