import { once } from 'node:events';
import { mkdtemp, readdir, readFile, readlink, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeStatsLogError } from './log-error';
import { openRollingFile } from './rolling-file';

const dirs: string[] = [];
afterEach(async () => {
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A fresh folder under the OS temporary directory, removed after the test. */
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lestats-roll-'));
  dirs.push(dir);
  return dir;
}

/** Lets the event loop go round once: the lines of a turn reach the stream at its end. */
const turn = () => new Promise((resolve) => setImmediate(resolve));

// The error every unusable log name fails with: the CLI exits 2 on it, as on a bad flag.
const unusable = (message: string) =>
  expect.objectContaining({ name: 'LeStatsLogError', code: 'log_unavailable', message });

// Writes `lines` lines of about 100 bytes, each once the previous one reached the file (the
// size is checked as writes complete), then closes the file and waits for its housekeeping.
// `prepare` puts files in the folder first.
async function writeLog(
  name: string,
  lines: number,
  options = { maxBytes: 1024, files: 2 },
  prepare?: (dir: string) => Promise<unknown>,
) {
  const dir = await tempDir();
  await prepare?.(dir);
  const file = join(dir, name);
  const log = await openRollingFile({ file, ...options });
  for (let i = 0; i < lines; i++) {
    const written = once(log.stream, 'drain');
    log.stream.write(`${JSON.stringify({ line: i, padding: 'x'.repeat(80) })}\n`);
    await written;
  }
  await log.close();
  return { file, names: (await readdir(dir)).sort() };
}

describe('openRollingFile', () => {
  it.each([
    ['webserver.log', /^webserver\.(\d+)\.log$/],
    ['server', /^server\.(\d+)\.log$/],
    ['app.x', /^app\.(\d+)$/],
    ['app.', /^app\.(\d+)\.log$/],
    ['.hidden', /^\.(\d+)\.hidden$/],
  ])('numbers %s as pino-roll does, keeps the newest files and links the name to the last', async (name, numbered) => {
    const { file, names } = await writeLog(name, 60);
    const files = names.filter((entry) => numbered.test(entry));
    expect(files).toHaveLength(2);
    expect(names).toEqual([...files, name].sort());
    const newest = files.sort((a, b) => Number(numbered.exec(b)?.[1]) - Number(numbered.exec(a)?.[1]))[0];
    expect(Number(numbered.exec(newest as string)?.[1])).toBeGreaterThan(2);
    expect(await readlink(file)).toBe(newest);
  });

  it('takes a name relative to the working folder, one that is all extension included', async () => {
    const dir = await tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      const log = await openRollingFile({ file: '.hidden', maxBytes: 1024, files: 2 });
      log.write('{"line":1}\n');
      await log.close();
    } finally {
      process.chdir(cwd);
    }
    expect((await readdir(dir)).sort()).toEqual(['.1.hidden', '.hidden']);
    expect(await readFile(join(dir, '.hidden'), 'utf8')).toBe('{"line":1}\n');
  });

  it('reopened, keeps its link as the link and goes on with the last file', async () => {
    const dir = await tempDir();
    const file = join(dir, 'webserver.log');
    for (const line of ['{"run":1}\n', '{"run":2}\n']) {
      const log = await openRollingFile({ file, maxBytes: 1024 * 1024, files: 5 });
      log.write(line);
      await log.close();
    }
    // The link left by the first run is no earlier log to keep as number 0.
    expect((await readdir(dir)).sort()).toEqual(['webserver.1.log', 'webserver.log']);
    expect(await readFile(file, 'utf8')).toBe('{"run":1}\n{"run":2}\n');
  });

  it('prunes only its own numbered files, not names that merely begin or end like them', async () => {
    const others = ['webserver.1.log.gz', 'old-webserver.1.log'];
    const { names } = await writeLog('webserver.log', 60, undefined, (dir) =>
      Promise.all(others.map((name) => writeFile(join(dir, name), 'not the log\n'))),
    );
    for (const name of others) expect(names).toContain(name);
    expect(names.filter((name) => /^webserver\.\d+\.log$/.test(name))).toHaveLength(2);
  });

  it('points the name at the new file even past a temporary link an earlier process of this pid left', async () => {
    const dir = await tempDir();
    const file = join(dir, 'webserver.log');
    // What a process killed between making the link and renaming it leaves; in a container the
    // next one often has the same pid.
    await symlink('webserver.7.log', `${file}.${process.pid}.link`);
    const log = await openRollingFile({ file, maxBytes: 1024 * 1024, files: 5 });
    log.write('{"line":1}\n');
    await log.close();
    expect(await readlink(file)).toBe('webserver.1.log');
    expect(await readFile(file, 'utf8')).toBe('{"line":1}\n');
  });

  it('keeps a single file below the size limit', async () => {
    const { file, names } = await writeLog('webserver.log', 3, { maxBytes: 1024 * 1024, files: 5 });
    expect(names).toEqual(['webserver.1.log', 'webserver.log']);
    expect(await readlink(file)).toBe('webserver.1.log');
  });

  it.each([
    [{ maxBytes: 0, files: 5 }, /maxBytes must be a whole number >= 1, got 0/],
    [{ maxBytes: -1, files: 5 }, /maxBytes must be a whole number >= 1, got -1/],
    [{ maxBytes: 1.5, files: 5 }, /maxBytes/],
    [{ maxBytes: Number.NaN, files: 5 }, /maxBytes/],
    [{ maxBytes: 1e300, files: 5 }, /maxBytes/],
    [{ maxBytes: 1024, files: 0 }, /log files kept must be a whole number >= 1, got 0/],
    [{ maxBytes: 1024, files: 2.5 }, /log files kept/],
  ])('refuses %j before creating anything', async (options, message) => {
    const dir = await tempDir();
    await expect(openRollingFile({ file: join(dir, 'webserver.log'), ...options })).rejects.toThrow(RangeError);
    await expect(openRollingFile({ file: join(dir, 'webserver.log'), ...options })).rejects.toThrow(message);
    expect(await readdir(dir)).toEqual([]);
  });

  it('rolls over at a size that is not a whole number of KiB', async () => {
    const { names } = await writeLog('webserver.log', 12, { maxBytes: 1000, files: 20 });
    // About 100 bytes a line: a new file once the current one reaches 1 000 bytes.
    expect(names.filter((name) => name !== 'webserver.log').length).toBeGreaterThanOrEqual(2);
  });

  it('keeps at most 16 MiB of lines for a disk that refuses them, and drops the rest', async () => {
    const dir = await tempDir();
    await symlink('/dev/full', join(dir, 'webserver.1.log'));
    const warned = new Promise((resolve) => process.once('warning', resolve));
    const log = await openRollingFile({ file: join(dir, 'webserver.log'), maxBytes: 1024 * 1024 * 1024, files: 2 });
    let dropped = 0;
    log.stream.on('drop', () => dropped++);
    const line = `${'x'.repeat(64 * 1024 - 1)}\n`;
    for (let i = 0; i < 300; i++) log.stream.write(line);
    // 16 MiB hold 256 of these lines; each further one is dropped.
    expect(dropped).toBeGreaterThanOrEqual(300 - 256);
    expect(dropped).toBeLessThan(300);
    expect(await warned).toMatchObject({ code: 'LESTATS_LOG_WRITE_FAILED' });
    await log.close();
  });

  it('refuses a folder as the log, rather than writing beside it', async () => {
    const dir = await tempDir();
    await expect(openRollingFile({ file: dir, maxBytes: 1024, files: 2 })).rejects.toThrow(
      unusable(`the log ${dir} is a folder`),
    );
  });

  it('refuses an empty name, which would put the log beside the working folder', async () => {
    await expect(openRollingFile({ file: ' ', maxBytes: 1024, files: 2 })).rejects.toThrow(
      unusable('the log needs a file name'),
    );
  });

  it('fails plainly when the log cannot be opened at all', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'plain'), '');
    const file = join(dir, 'plain', 'webserver.log');
    const opening = openRollingFile({ file, maxBytes: 1024, files: 2 });
    await expect(opening).rejects.toThrow(new RegExp(`^cannot open the log ${file}: E`));
    await expect(opening).rejects.toMatchObject({ code: 'log_unavailable', cause: { code: expect.any(String) } });
    await expect(opening).rejects.toBeInstanceOf(LeStatsLogError);
  });

  it('never throws from write, and tells a failure once as a warning', async () => {
    const dir = await tempDir();
    const log = await openRollingFile({ file: join(dir, 'webserver.log'), maxBytes: 1024, files: 2 });
    const warnings: Array<Error & { code?: string }> = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const write = vi.spyOn(log.stream, 'write').mockImplementation(() => {
      throw new RangeError('The value of "fd" is out of range');
    });
    try {
      for (const line of ['a\n', 'b\n']) {
        log.write(line);
        await turn();
      }
      expect(write).toHaveBeenCalledTimes(2);
    } finally {
      process.off('warning', onWarning);
      write.mockRestore();
    }
    expect(warnings.map((warning) => warning.code)).toEqual(['LESTATS_LOG_WRITE_FAILED']);
    expect(warnings[0]?.message).toMatch(/out of range/);
    await log.close();
  });

  it('warns again when writes fail anew after the disk took lines in between', async () => {
    const dir = await tempDir();
    const log = await openRollingFile({ file: join(dir, 'webserver.log'), maxBytes: 1024, files: 2 });
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    const refuse = () =>
      vi.spyOn(log.stream, 'write').mockImplementation(() => {
        throw new Error('disk gone');
      });
    try {
      let write = refuse();
      log.write('a\n');
      await turn();
      write.mockRestore();
      const written = once(log.stream, 'write');
      log.write('b\n');
      await written;
      write = refuse();
      log.write('c\n');
      await turn();
      write.mockRestore();
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.message)).toEqual([
      expect.stringMatching(/disk gone/),
      expect.stringMatching(/disk gone/),
    ]);
    await log.close();
  });

  it('hands the lines of one event-loop turn to the stream in one write, and the queued ones on close', async () => {
    const dir = await tempDir();
    const file = join(dir, 'webserver.log');
    const log = await openRollingFile({ file, maxBytes: 1024 * 1024, files: 2 });
    const write = vi.spyOn(log.stream, 'write');
    log.write('1\n');
    log.write('2\n');
    log.write('3\n');
    expect(write).not.toHaveBeenCalled();
    await turn();
    expect(write.mock.calls).toEqual([['1\n2\n3\n']]);
    log.write('4\n');
    await log.close();
    expect(write.mock.calls).toEqual([['1\n2\n3\n'], ['4\n']]);
    expect(await readFile(file, 'utf8')).toBe('1\n2\n3\n4\n');
  });
});
