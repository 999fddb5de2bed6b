import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * The `redis-server` binary on PATH. Missing, it throws under `CI=true` (the suite must not
 * pass without Redis) and otherwise says why the Redis tests will be skipped.
 */
export function redisServerBinary(): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not in this folder.
    }
  }
  const why = 'redis-server is not on PATH (Debian: apt-get install redis-server)';
  if (process.env.CI === 'true') throw new Error(`${why}; CI=true requires the Redis tests to run`);
  console.warn(`Skipping the Redis tests: ${why}.`);
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.setTimeout(500);
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (reply) => {
      socket.destroy();
      resolve(reply.toString().startsWith('+PONG'));
    });
    for (const failure of ['error', 'timeout']) {
      socket.once(failure, () => {
        socket.destroy();
        resolve(false);
      });
    }
  });
}

/** A private redis-server on a free loopback port, without persistence, for one test file. */
export class TestRedis {
  readonly port: number;
  readonly #binary: string;
  readonly #dir: string;
  #process: ChildProcess | undefined;

  private constructor(binary: string, port: number, dir: string) {
    this.#binary = binary;
    this.port = port;
    this.#dir = dir;
  }

  static async start(binary: string): Promise<TestRedis> {
    const redis = new TestRedis(binary, await freePort(), await mkdtemp(join(tmpdir(), 'lestats-redis-')));
    await redis.resume();
    return redis;
  }

  /** `redis://127.0.0.1:<port>/<db>`. */
  url(db = 0): string {
    return `redis://127.0.0.1:${this.port}/${db}`;
  }

  /** Starts the server again on the same port, empty (nothing was persisted). */
  async resume(): Promise<void> {
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      this.#dir,
    ];
    const child = spawn(this.#binary, args, { stdio: 'ignore' });
    this.#process = child;
    const deadline = Date.now() + 10_000;
    while (!(await answersPing(this.port))) {
      if (child.exitCode !== null)
        throw new Error(`redis-server exited with status ${child.exitCode} (port ${this.port} taken?)`);
      if (Date.now() > deadline) throw new Error(`redis-server did not answer on port ${this.port} within 10 s`);
      await sleep(20);
    }
  }

  /** Kills the server (SIGKILL: no chance to save, like a crash) and waits for it to exit. */
  async kill(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Kills the server and removes its folder. */
  async stop(): Promise<void> {
    await this.kill();
    await rm(this.#dir, { recursive: true, force: true });
  }
}
