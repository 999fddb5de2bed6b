import { existsSync } from 'node:fs';
import { readdir, readFile, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { outcomeFile, writeOutcomeFile, writeOutcomeFileSync } from './outcome-files';
import { cleanUp, tempDir } from './test-workers/harness';

afterEach(cleanUp);

describe('outcome files', () => {
  it('names a result job_id_N.json and a failure job_id_N.error.json', () => {
    expect(outcomeFile('results', 12, 'done')).toBe(join('results', 'job_id_12.json'));
    expect(outcomeFile('results', 12, 'error')).toBe(join('results', 'job_id_12.error.json'));
  });

  it.each([
    ['asynchronously', writeOutcomeFile],
    ['blocking', writeOutcomeFileSync],
  ])('writes exactly the result, or the reason as JSON, %s, and leaves no temporary file', async (_, write) => {
    const dir = await tempDir();
    await write(dir, 1, { status: 'done', json: '{"Utah":24.0}' });
    await write(dir, 2, { status: 'error', reason: 'worker failed: "x"\nnext' });
    expect((await readdir(dir)).sort()).toEqual(['job_id_1.json', 'job_id_2.error.json']);
    expect(await readFile(join(dir, 'job_id_1.json'), 'utf8')).toBe('{"Utah":24.0}');
    expect(JSON.parse(await readFile(join(dir, 'job_id_2.error.json'), 'utf8'))).toEqual({
      reason: 'worker failed: "x"\nnext',
    });
  });

  it.runIf(existsSync('/dev/full')).each([
    ['asynchronously', writeOutcomeFile],
    ['blocking', writeOutcomeFileSync],
  ])('removes its temporary file when the disk refuses the write, %s', async (_, write) => {
    const dir = await tempDir();
    // The temporary name this process writes job 1 under, made to lead to a full disk.
    await symlink('/dev/full', join(dir, `.job_id_1.${process.pid}.tmp`));
    const writing = Promise.resolve().then(() => write(dir, 1, { status: 'done', json: '{}' }));
    await expect(writing).rejects.toMatchObject({ code: 'ENOSPC' });
    expect(await readdir(dir)).toEqual([]);
  });

  it('fails when the folder is missing, blocking or not', async () => {
    const dir = join(await tempDir(), 'gone');
    await expect(writeOutcomeFile(dir, 1, { status: 'done', json: '{}' })).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => writeOutcomeFileSync(dir, 1, { status: 'done', json: '{}' })).toThrow(/ENOENT/);
  });
});
