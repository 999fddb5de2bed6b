import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fileStore } from './file-store';

// Outcome files are written as usual, but a test can hold every write in flight, to see how
// many the store starts at once.
const writes = vi.hoisted(() => ({ started: 0, held: undefined as Promise<void> | undefined }));
vi.mock('./outcome-files', async (importOriginal) => {
  const actual = await importOriginal<typeof import('./outcome-files')>();
  return {
    ...actual,
    async writeOutcomeFile(...args: Parameters<typeof actual.writeOutcomeFile>) {
      writes.started++;
      await writes.held;
      return actual.writeOutcomeFile(...args);
    },
  };
});

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lestats-file-store-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const files = async () => (await readdir(dir)).sort();

describe('fileStore', () => {
  it('creates its folder, nested, on open', async () => {
    const nested = join(dir, 'a', 'b', 'results');
    await fileStore(nested).open();
    expect((await stat(nested)).isDirectory()).toBe(true);
  });

  it('writes job_id_N.json holding exactly the result text and job_id_N.error.json holding { reason }', async () => {
    const store = fileStore(dir);
    await store.open();
    const json = '{"New York":24.0,"Puerto Rico":31.25}';
    await store.save(1, { status: 'done', json });
    await store.save(2, { status: 'error', reason: 'worker failed: boom "x"' });
    await store.close();
    expect(await files()).toEqual(['job_id_1.json', 'job_id_2.error.json']);
    expect(await readFile(join(dir, 'job_id_1.json'), 'utf8')).toBe(json);
    expect(await readFile(join(dir, 'job_id_2.error.json'), 'utf8')).toBe('{"reason":"worker failed: boom \\"x\\""}');
  });

  it('recovers finished jobs and the highest id, removes leftover temporary files, and ignores other files', async () => {
    const seed: Record<string, string> = {
      'job_id_3.json': '{"a":1.0}',
      'job_id_12.error.json': '{"reason":"worker exited while running the task"}',
      'job_id_5.json': '{"b":2.5}',
      '.job_id_13.4242.tmp': '{"trunc',
      '.job_id_14.1.tmp': '',
      'job_id_0.json': '{}',
      'job_id_07.json': '{}',
      'job_id_x.json': '{}',
      'job_id_99.json.bak': '{}',
      'job_id_99.txt': '{}',
      [`job_id_${'9'.repeat(20)}.json`]: '{}',
      'notes.txt': 'kept',
    };
    await Promise.all(Object.entries(seed).map(([name, text]) => writeFile(join(dir, name), text)));
    await mkdir(join(dir, 'job_id_50.json.d'));

    const store = fileStore(dir);
    const { lastId, finished } = await store.open();
    expect(lastId).toBe(12);
    expect([...finished].sort((a, b) => a[0] - b[0])).toEqual([
      [3, 'done'],
      [5, 'done'],
      [12, 'error'],
    ]);
    expect(await files()).toEqual(
      [...Object.keys(seed).filter((name) => !name.endsWith('.tmp')), 'job_id_50.json.d'].sort(),
    );
    expect(await store.read(3)).toEqual({ status: 'done', json: '{"a":1.0}' });
    expect(await store.read(12)).toEqual({ status: 'error', reason: 'worker exited while running the task' });
    expect(await store.read(4)).toBeUndefined();
    expect(await store.read(13)).toBeUndefined();
  });

  it('recovers a job that has both a result and an error file once, as the result it reads', async () => {
    for (const id of [1, 2, 3]) {
      await writeFile(join(dir, `job_id_${id}.json`), '{"a":1.0}');
      await writeFile(join(dir, `job_id_${id}.error.json`), '{"reason":"lost"}');
    }
    const store = fileStore(dir);
    const { finished } = await store.open();
    expect([...finished].sort((a, b) => a[0] - b[0])).toEqual([
      [1, 'done'],
      [2, 'done'],
      [3, 'done'],
    ]);
    expect(await store.read(2)).toEqual({ status: 'done', json: '{"a":1.0}' });
  });

  it('reads a damaged file it recovered as that job’s error, never as broken JSON', async () => {
    const seed: Record<string, string> = {
      'job_id_1.json': '{"a": 1',
      'job_id_2.json': '',
      'job_id_3.json': '{"a": 1.0}\n',
      'job_id_4.error.json': 'not json',
      'job_id_5.error.json': '{"reason": 5}',
      'job_id_6.error.json': 'null',
      'job_id_7.error.json': '{"reason": "disk full"}',
      // The highest id recovered is checked like the others.
      'job_id_11.json': '{"a": [1',
    };
    await Promise.all(Object.entries(seed).map(([name, text]) => writeFile(join(dir, name), text)));
    await mkdir(join(dir, 'job_id_9.json'));
    await mkdir(join(dir, 'job_id_10.error.json'));
    const store = fileStore(dir);
    await store.open();
    expect(await store.read(9)).toEqual({
      status: 'error',
      reason: 'damaged file job_id_9.json: a folder, not a file',
    });
    expect(await store.read(10)).toEqual({
      status: 'error',
      reason: 'damaged file job_id_10.error.json: a folder, not a file',
    });
    expect(await store.read(1)).toEqual({ status: 'error', reason: 'damaged file job_id_1.json: not valid JSON' });
    expect(await store.read(2)).toEqual({ status: 'error', reason: 'damaged file job_id_2.json: not valid JSON' });
    expect(await store.read(3)).toEqual({ status: 'done', json: '{"a": 1.0}\n' });
    for (const id of [4, 5, 6]) {
      expect(await store.read(id)).toEqual({
        status: 'error',
        reason: `damaged file job_id_${id}.error.json: no "reason" string in it`,
      });
    }
    expect(await store.read(7)).toEqual({ status: 'error', reason: 'disk full' });
    expect(await store.read(11)).toEqual({ status: 'error', reason: 'damaged file job_id_11.json: not valid JSON' });
    // What it wrote itself since opening is read as written, without parsing it again.
    await store.save(12, { status: 'done', json: '{"b":2.0}' });
    expect(await store.read(12)).toEqual({ status: 'done', json: '{"b":2.0}' });
  });

  it('refuses to open on a path that is no folder, as a store unavailable', async () => {
    const file = join(dir, 'plain');
    await writeFile(file, '');
    await expect(fileStore(file).open()).rejects.toThrow(
      expect.objectContaining({
        name: 'LeStatsRunnerError',
        code: 'store_unavailable',
        message: expect.stringMatching(/^store unavailable: results folder .*plain: EEXIST/),
      }),
    );
  });

  // sysfs refuses new files even to root, as a read-only mount would.
  it.runIf(existsSync('/sys/kernel'))(
    'refuses to open on a folder it cannot write in, as a store unavailable',
    async () => {
      await expect(fileStore('/sys/kernel').open()).rejects.toThrow(
        expect.objectContaining({
          code: 'store_unavailable',
          message: expect.stringMatching(/^store unavailable: results folder \/sys\/kernel: EACCES/),
        }),
      );
    },
  );

  it('leaves nothing of its check that the folder can be written', async () => {
    await fileStore(dir).open();
    expect(await files()).toEqual([]);
  });

  it('leaves only final files behind after many concurrent saves', async () => {
    const store = fileStore(dir);
    await store.open();
    await Promise.all(Array.from({ length: 200 }, (_, i) => store.save(i + 1, { status: 'done', json: `[${i}]` })));
    await store.close();
    const names = await files();
    expect(names).toHaveLength(200);
    for (const name of names) expect(name).toMatch(/^job_id_[1-9]\d*\.json$/);
  });

  it('writes at most 64 outcome files at once, and the others as writes end', async () => {
    const store = fileStore(dir);
    await store.open();
    let release = () => {};
    writes.started = 0;
    writes.held = new Promise((resolve) => {
      release = resolve;
    });
    try {
      const saves = Array.from({ length: 100 }, (_, i) => store.save(i + 1, { status: 'done', json: `[${i}]` }));
      // More would run a busy server out of file descriptors.
      expect(writes.started).toBe(64);
      release();
      await Promise.all(saves);
    } finally {
      release();
      writes.held = undefined;
    }
    expect(writes.started).toBe(100);
    expect(await files()).toHaveLength(100);
  });

  it('rejects a save when the folder has gone, and reads an unknown id as undefined', async () => {
    const gone = join(dir, 'gone');
    const store = fileStore(gone);
    await store.open();
    await rm(gone, { recursive: true });
    await expect(store.save(1, { status: 'done', json: '{}' })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await store.read(1)).toBeUndefined();
  });

  describe('its record of the ids handed out', () => {
    const RECORD = '.issued_job_ids';
    const record = () => readFile(join(dir, RECORD), 'utf8');

    it('is one fixed-width line, rewritten in place, that the next open counts as ids handed out', async () => {
      await writeFile(join(dir, 'job_id_4.json'), '{}');
      const store = fileStore(dir);
      expect((await store.open()).lastId).toBe(4);
      store.issued?.record(1029);
      expect(await record()).toBe('            1029\n');
      store.issued?.record(5);
      expect(await record()).toBe('               5\n');
      store.issued?.record(Number.MAX_SAFE_INTEGER);
      expect(await record()).toBe(`${Number.MAX_SAFE_INTEGER}\n`);
      store.issued?.record(1029);
      // Left by a run that stopped without clearing it: as after a crash, or a close with jobs lost.
      await store.close();
      expect((await fileStore(dir).open()).lastId).toBe(1029);
      expect(await record()).toBe('            1029\n');
    });

    it('goes when cleared, and the next open continues after the highest file', async () => {
      await writeFile(join(dir, 'job_id_4.json'), '{}');
      const store = fileStore(dir);
      await store.open();
      store.issued?.record(1029);
      store.issued?.clear();
      expect(await files()).toEqual(['job_id_4.json']);
      // Recorded again after a clear, in a new file.
      store.issued?.record(7);
      expect(await record()).toBe('               7\n');
      store.issued?.clear();
      await store.close();
      expect((await fileStore(dir).open()).lastId).toBe(4);
    });

    it('cuts a longer file left under its name down to the record on the first write', async () => {
      await writeFile(join(dir, RECORD), `${' '.repeat(15)}9\n and more`);
      const store = fileStore(dir);
      // Not a record it wrote: the files alone count.
      expect((await store.open()).lastId).toBe(0);
      store.issued?.record(12);
      expect(await record()).toBe('              12\n');
      await store.close();
    });

    it('is ignored when damaged or not a file', async () => {
      for (const text of ['', 'x\n', '12', ' -3\n', '1e3\n', `${'9'.repeat(20)}\n`]) {
        await writeFile(join(dir, RECORD), text);
        expect((await fileStore(dir).open()).lastId, JSON.stringify(text)).toBe(0);
      }
      await rm(join(dir, RECORD));
      await mkdir(join(dir, RECORD));
      expect((await fileStore(dir).open()).lastId).toBe(0);
    });

    // Linux shows a process's open files in /proc/self/fd.
    it.runIf(existsSync('/proc/self/fd'))(
      'keeps one file open however often it is rewritten, and closes it on close',
      async () => {
        const store = fileStore(dir);
        await store.open();
        const openFiles = () => readdirSync('/proc/self/fd').length;
        const before = openFiles();
        for (const upTo of [1025, 2049, 3073]) store.issued?.record(upTo);
        expect(openFiles()).toBe(before + 1);
        const closing = store.close();
        expect(openFiles()).toBe(before);
        await closing;
      },
    );

    it('rejects a record when the folder has gone', async () => {
      const gone = join(dir, 'gone');
      const store = fileStore(gone);
      await store.open();
      await rm(gone, { recursive: true });
      expect(() => store.issued?.record(1)).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    });
  });
});
