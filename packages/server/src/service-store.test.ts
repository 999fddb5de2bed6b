import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openServiceStore } from './service-store';

const folders: string[] = [];
const previousTmpdir = process.env.TMPDIR;

afterEach(async () => {
  // Assigning undefined would store the string "undefined".
  if (previousTmpdir === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmpdir;
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

describe('openServiceStore', () => {
  it('is the file store in the results folder without a store URL', async () => {
    expect((await openServiceStore(undefined, 'out')).description).toBe('out');
    expect((await openServiceStore(undefined, undefined)).description).toBe('results');
  });

  it('names a Redis store by host, port and database, never by its password', async () => {
    const { store, description } = await openServiceStore('redis://user:s3cret@cache.local:6380/2', 'copies');
    expect(description).toBe('Redis at cache.local:6380/2, copies in copies');
    expect(store.shared).toBeDefined();
  });

  it('keeps copies in a private temporary folder without a results folder, and removes it on dispose', async () => {
    const scratch = await mkdtemp(join(tmpdir(), 'lestats-service-store-'));
    folders.push(scratch);
    process.env.TMPDIR = scratch;
    const { description, dispose } = await openServiceStore('redis://127.0.0.1:6379/0', undefined);
    expect(description).toBe('Redis at 127.0.0.1:6379/0');
    expect(await readdir(scratch)).toEqual([expect.stringMatching(/^lestats-copies-/)]);
    await dispose();
    expect(await readdir(scratch)).toEqual([]);
  });

  it('leaves on dispose the results folder it was given for the copies', async () => {
    const resultsDir = await mkdtemp(join(tmpdir(), 'lestats-service-store-'));
    folders.push(resultsDir);
    await writeFile(join(resultsDir, 'job_id_1.json'), '{}');
    const { dispose } = await openServiceStore('redis://127.0.0.1:6379/0', resultsDir);
    await dispose();
    expect(await readdir(resultsDir)).toEqual(['job_id_1.json']);
  });
});
