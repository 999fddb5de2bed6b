import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { fileStore } from './file-store';
import { memoryStore } from './memory-store';
import type { ResultStore } from './store';

const folders: string[] = [];

afterEach(async () => {
  await Promise.all(folders.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
});

const stores: Array<[string, () => Promise<ResultStore>]> = [
  ['memoryStore', async () => memoryStore()],
  [
    'fileStore',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'lestats-store-'));
      folders.push(dir);
      return fileStore(join(dir, 'results'));
    },
  ],
];

describe.each(stores)('%s (the ResultStore contract)', (_name, makeStore) => {
  it('opens empty', async () => {
    const store = await makeStore();
    const { lastId, finished } = await store.open();
    expect(lastId).toBe(0);
    expect([...finished]).toEqual([]);
    await store.close();
  });

  it('reads back exactly what it saved, and undefined for a job it never saved', async () => {
    const store = await makeStore();
    await store.open();
    const json = '{"Utah":19.0,"Guam":-3.5,"(\'A\', "B\'s")":1e-7}';
    await store.save(1, { status: 'done', json });
    await store.save(2, { status: 'error', reason: 'worker failed: "quoted" \\ and\nnewline' });
    expect(await store.read(1)).toEqual({ status: 'done', json });
    expect(await store.read(2)).toEqual({ status: 'error', reason: 'worker failed: "quoted" \\ and\nnewline' });
    expect(await store.read(3)).toBeUndefined();
    await store.close();
  });

  it('keeps many outcomes saved concurrently', async () => {
    const store = await makeStore();
    await store.open();
    const ids = Array.from({ length: 300 }, (_, i) => i + 1);
    await Promise.all(ids.map((id) => store.save(id, { status: 'done', json: `{"n":${id}}` })));
    for (const id of ids) expect(await store.read(id)).toEqual({ status: 'done', json: `{"n":${id}}` });
    await store.close();
  });
});
