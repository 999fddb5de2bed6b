import { createServer, type RequestListener } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A listening server as bench/http.ts drives it: its base URL and how to stop it. */
export interface HostedServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on 127.0.0.1, on a free port. */
export async function listen(listener: RequestListener): Promise<HostedServer> {
  const server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

/**
 * Runs a server process for the bench: announces its URL to the parent, and on the
 * message `close` closes the server (a drain, for ours), reports and exits.
 */
export function host(server: HostedServer): void {
  if (process.send === undefined) throw new Error('a bench server is started by bench/http.ts');
  process.send({ url: server.url });
  process.on('message', async (message) => {
    if (message !== 'close') return;
    await server.close();
    process.send?.({ closed: true }, () => process.exit(0));
  });
  // The bench went away without closing us: nobody is left to stop this process.
  process.on('disconnect', () => process.exit(1));
}
