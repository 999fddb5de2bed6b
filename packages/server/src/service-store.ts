import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileStore, type ResultStore, redisStore } from '@lestats/core';

/** The store a server runs on, how to name it to people, and what to clean up once it is closed. */
export interface ServiceStore {
  store: ResultStore;
  /** Where results are kept, e.g. `results` or `Redis at 127.0.0.1:6379/0, copies in results`. */
  description: string;
  /** Removes what only this process used; call after the runner has shut down. */
  dispose(): Promise<void>;
}

/**
 * The file store in `resultsDir` (default `results`), or with a `redis://` URL the store
 * shared by every instance on that Redis. This instance keeps copies of its own outcomes
 * in `resultsDir` when given, else in a private temporary folder removed by `dispose`: they
 * answer for its jobs while Redis is away and refill a Redis that lost its data.
 */
export async function openServiceStore(url: string | undefined, resultsDir: string | undefined): Promise<ServiceStore> {
  if (url === undefined) {
    const dir = resultsDir ?? 'results';
    return { store: fileStore(dir), description: dir, dispose: async () => {} };
  }
  const copies = resultsDir ?? (await mkdtemp(join(tmpdir(), 'lestats-copies-')));
  const store = redisStore({ url, mirror: fileStore(copies) });
  // Host, port and database only: never a password.
  const { host, pathname } = new URL(url);
  return {
    store,
    description: `Redis at ${host}${pathname}${resultsDir === undefined ? '' : `, copies in ${resultsDir}`}`,
    dispose: () => (resultsDir === undefined ? rm(copies, { recursive: true, force: true }) : Promise.resolve()),
  };
}
