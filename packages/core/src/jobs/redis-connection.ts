import type { Redis } from 'ioredis';
import { fail, type LeStatsRunnerError, messageOf } from '../errors';
import type { LuaScript } from './redis-scripts';

/** The URL as it may be shown: without its password. */
function redacted(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.href;
  } catch {
    return url;
  }
}

/**
 * One ioredis client set to fail fast instead of queueing: while Redis is away every
 * command rejects at once (a submission must be refused, not held), and the client keeps
 * reconnecting by itself. Every failure surfaces as a `store_unavailable` runner error.
 */
export class RedisConnection {
  readonly #client: Redis;
  readonly #url: string;

  private constructor(client: Redis, url: string) {
    this.#client = client;
    this.#url = url;
  }

  /**
   * Connects; rejects with a `store_unavailable` error naming the URL when Redis cannot be
   * reached. Once connected, a lost connection is retried at most `reconnectMaxMs` apart.
   */
  static async open(url: string, reconnectMaxMs: number): Promise<RedisConnection> {
    // Loaded here so that users who never ask for Redis never load ioredis.
    const { Redis } = await import('ioredis');
    let lastError: unknown;
    const client = new Redis(url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 3000,
      commandTimeout: 5000,
      retryStrategy: (attempt) => Math.min(attempt * 50, reconnectMaxMs),
    });
    // Without a listener ioredis prints every connection error; the last one explains a failure.
    client.on('error', (error) => {
      lastError = error;
    });
    const connection = new RedisConnection(client, url);
    try {
      await client.connect();
    } catch (error) {
      client.disconnect();
      throw connection.unavailable(lastError ?? error);
    }
    return connection;
  }

  /** True while commands can be sent. */
  get ready(): boolean {
    return this.#client.status === 'ready';
  }

  /** Calls `listener` each time the connection is ready again after a loss. */
  onReconnect(listener: () => void): void {
    this.#client.on('ready', listener);
  }

  /** Runs a script (loading it first if this Redis has not seen it, e.g. after a restart). */
  run(script: LuaScript, args: ReadonlyArray<string | number>): Promise<unknown> {
    return this.call(async (client) => {
      try {
        return await client.evalsha(script.sha, 0, ...args);
      } catch (error) {
        if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
        return client.eval(script.source, 0, ...args);
      }
    });
  }

  /** Runs commands on the client, turning any failure into a `store_unavailable` error. */
  async call<T>(commands: (client: Redis) => Promise<T>): Promise<T> {
    if (!this.ready) throw this.unavailable('not connected (reconnecting)');
    try {
      return await commands(this.#client);
    } catch (error) {
      throw this.unavailable(error);
    }
  }

  /** A `store_unavailable` error that says which Redis and why. */
  unavailable(cause: unknown): LeStatsRunnerError {
    return fail.runner('store_unavailable', `store unavailable: Redis at ${redacted(this.#url)}: ${messageOf(cause)}`);
  }

  /** Closes the connection and stops reconnecting. */
  async close(): Promise<void> {
    if (this.ready) await this.#client.quit().catch(() => {});
    this.#client.disconnect();
  }
}
