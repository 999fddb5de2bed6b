import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openServiceLog } from './logger';
import { openRollingFile } from './rolling-file';

vi.mock('./rolling-file', async (actual) => {
  const real = await actual<typeof import('./rolling-file')>();
  return { openRollingFile: vi.fn(real.openRollingFile) };
});

const dirs: string[] = [];
afterEach(async () => {
  vi.mocked(openRollingFile).mockClear();
  for (const dir of dirs.splice(0)) await rm(dir, { recursive: true, force: true });
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lestats-logger-'));
  dirs.push(dir);
  return dir;
}

describe('openServiceLog', () => {
  it('logs to webserver.log in the working folder, rolled at 10 MiB with 5 files kept, by default', async () => {
    const dir = await tempDir();
    const cwd = process.cwd();
    process.chdir(dir);
    try {
      await (await openServiceLog()).close();
    } finally {
      process.chdir(cwd);
    }
    expect(openRollingFile).toHaveBeenCalledWith({ file: 'webserver.log', maxBytes: 10 * 1024 * 1024, files: 5 });
    expect(await readlink(join(dir, 'webserver.log'))).toBe('webserver.1.log');
  });

  it('logs a failed request through pino with its error and a duration rounded like every other line', async () => {
    const file = join(await tempDir(), 'webserver.log');
    const log = await openServiceLog({ file });
    log.observer.end({
      request: 7,
      method: 'GET',
      path: '/api/num_jobs',
      status: 500,
      durationMs: 1.23456789,
      error: new Error('boom'),
    });
    await log.close();
    const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
    expect(lines.map((line) => JSON.parse(line))).toEqual([
      expect.objectContaining({
        level: 50,
        msg: 'request failed',
        request: 7,
        path: '/api/num_jobs',
        status: 500,
        durationMs: 1.235,
        err: expect.objectContaining({ message: 'boom' }),
      }),
    ]);
  });

  // Linux lists the files a process holds open in /proc/self/fd.
  it.runIf(existsSync('/proc/self/fd'))(
    'has every line on disk and the file closed once close() resolves',
    async () => {
      const dir = await tempDir();
      const log = await openServiceLog({ file: join(dir, 'webserver.log') });
      log.logger.info('last words');
      await log.close();
      expect(await readFile(join(dir, 'webserver.log'), 'utf8')).toContain('"msg":"last words"');
      const open = await Promise.all(
        (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
      );
      expect(open.filter((target) => target.startsWith(dir))).toEqual([]);
    },
  );
});
