// Where serve() listens, and the URL it reports for it.
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { call, cleanUp, startServer } from './harness';

afterEach(cleanUp);

/** Whether a TCP connection to `host`:`port` is accepted. */
function accepts(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, host);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('serve() listens', () => {
  it('on 127.0.0.1 by default, and on that interface alone', async () => {
    // The harness sets no host.
    const { server } = await startServer();
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    expect(await accepts('127.0.0.1', server.port)).toBe(true);
    // Another loopback address of the same machine: a listener on every interface would take it.
    expect(await accepts('127.0.0.2', server.port)).toBe(false);
  });

  it('on an IPv6 address, named in brackets in its URL', async () => {
    const { server } = await startServer({ host: '::1' });
    expect(server.url).toBe(`http://[::1]:${server.port}`);
    expect((await call(server, '/api/num_jobs')).body).toEqual({ num_jobs: 0 });
  });
});
