import { connect, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP relay to a Redis port that can lose one reply on purpose: the command reaches
 * Redis and runs, but its client sees the connection drop instead of the answer, as when
 * a network fails at the worst moment. It can also cut Redis off for a while, its data kept.
 */
export class CuttingProxy {
  readonly #server: Server;
  readonly #sockets = new Set<Socket>();
  #cutting = false;
  #severed = false;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(targetPort: number): Promise<CuttingProxy> {
    const server = createServer();
    const proxy = new CuttingProxy(server);
    server.on('connection', (client) => {
      if (proxy.#severed) client.destroy();
      else proxy.#relay(client, targetPort);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.#server.address() as { port: number }).port;
  }

  /** The next reply from Redis is dropped, and with it the connection that carried it. */
  cutNextReply(): void {
    this.#cutting = true;
  }

  /** Drops every connection and refuses new ones until {@link CuttingProxy.restore}. */
  sever(): void {
    this.#severed = true;
    for (const socket of this.#sockets) socket.destroy();
  }

  /** Relays new connections again. */
  restore(): void {
    this.#severed = false;
  }

  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }

  #relay(client: Socket, targetPort: number): void {
    const upstream = connect(targetPort, '127.0.0.1');
    for (const socket of [client, upstream]) {
      this.#sockets.add(socket);
      socket.on('error', () => {});
      socket.on('close', () => {
        this.#sockets.delete(socket);
        client.destroy();
        upstream.destroy();
      });
    }
    client.pipe(upstream);
    upstream.on('data', (chunk: Buffer) => {
      if (!this.#cutting) {
        client.write(chunk);
        return;
      }
      this.#cutting = false;
      client.destroy();
    });
  }
}
