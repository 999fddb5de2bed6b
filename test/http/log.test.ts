// The request and job log: JSON lines with UTC timestamps, and size-based rotation.
import { existsSync } from 'node:fs';
import { lstat, mkdir, readdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { LeStatsLogError, serve } from '@lestats/server';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  call,
  cleanUp,
  data,
  fixtureWorker,
  openFilesUnder,
  post,
  QUESTION,
  result,
  startServer,
  submit,
  tempDir,
} from './harness';

interface Line {
  level: number;
  time: string;
  msg: string;
  [field: string]: unknown;
}

afterEach(async () => {
  vi.restoreAllMocks();
  await cleanUp();
});

// Every numbered log file beside `file`, oldest first.
async function numberedFiles(file: string): Promise<string[]> {
  const names = await readdir(dirname(file));
  return names
    .filter((name) => /^webserver\.\d+\.log$/.test(name))
    .sort((a, b) => Number(a.split('.')[1]) - Number(b.split('.')[1]));
}

async function readLines(file: string): Promise<Line[]> {
  const lines: Line[] = [];
  for (const name of await numberedFiles(file)) {
    const text = await readFile(join(dirname(file), name), 'utf8');
    for (const line of text.split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  }
  return lines;
}

describe('log lines', () => {
  it('logs each request entering and leaving, with the job id, and each job done', async () => {
    const { server, logFile, resultsDir } = await startServer();
    const id = await submit(server, 'states_mean', { question: QUESTION });
    await result(server, id);
    await call(server, '/api/nope');
    await call(server, '/api/get_results/job_id_99');
    await call(server, '/api/get_results/nope');
    await server.close();

    const lines = await readLines(logFile);
    expect((await readFile(logFile, 'utf8')).length).toBeGreaterThan(0);
    for (const line of lines) {
      expect(line.time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(new Date(line.time).toISOString()).toBe(line.time);
    }
    const submitted = lines.filter((line) => line.path === '/api/states_mean');
    expect(submitted).toEqual([
      expect.objectContaining({ msg: 'request start', method: 'POST', request: expect.any(Number) }),
      expect.objectContaining({
        msg: 'request end',
        method: 'POST',
        status: 200,
        jobId: id,
        durationMs: expect.any(Number),
      }),
    ]);
    expect(submitted[0]?.request).toBe(submitted[1]?.request);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request end', path: `/api/get_results/${id}`, status: 200, jobId: id }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'job done',
        jobId: id,
        query: 'states_mean',
        status: 'done',
        durationMs: expect.any(Number),
      }),
    );
    const notFound = lines.find((line) => line.path === '/api/nope' && line.msg === 'request end');
    expect(notFound).toMatchObject({ status: 404, method: 'GET' });
    expect(notFound).not.toHaveProperty('jobId');
    // An id never issued is still the job the request asked about; a malformed one is none.
    const ends = (path: string) => lines.find((line) => line.path === path && line.msg === 'request end');
    expect(ends('/api/get_results/job_id_99')).toMatchObject({ status: 404, jobId: 'job_id_99' });
    expect(ends('/api/get_results/nope')).toMatchObject({ status: 400 });
    expect(ends('/api/get_results/nope')).not.toHaveProperty('jobId');
    expect(lines.map((line) => line.msg)).toEqual(
      expect.arrayContaining(['listening', 'drained: every accepted job finished', 'closed']),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'listening',
        url: server.url,
        data: data.source,
        rows: data.report.rows,
        kept: data.report.kept,
        results: resultsDir,
      }),
    );
  });

  it('names the job of an answer still running, and logs a graceful shutdown with the jobs it waits for', async () => {
    const { server, logFile } = await startServer({ workerFile: fixtureWorker('slow') });
    const id = await submit(server, 'states_mean', { question: QUESTION });
    expect((await call(server, `/api/get_results/${id}`)).body).toEqual({ status: 'running' });
    expect((await call(server, '/api/graceful_shutdown')).body).toEqual({ status: 'running' });
    await server.close();

    const lines = await readLines(logFile);
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request end', path: `/api/get_results/${id}`, status: 200, jobId: id }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 30, msg: 'graceful shutdown: no new jobs, draining', pending: 1 }),
    );
  });

  // Linux lists the files a process holds open in /proc/self/fd.
  it.runIf(existsSync('/proc/self/fd'))(
    'closes the log with the server: its last line on disk, no file of it left open',
    async () => {
      const { server, logFile } = await startServer();
      await call(server, '/api/num_jobs');
      await server.close();
      expect(await openFilesUnder(dirname(logFile))).toEqual([]);
      expect((await readLines(logFile)).at(-1)?.msg).toBe('closed');
    },
  );

  it('logs failed jobs with their reason, and internal errors with the detail kept from the client', async () => {
    const { server, logFile } = await startServer({ workerFile: fixtureWorker('throws') });
    const id = await submit(server, 'global_mean', { question: QUESTION });
    await result(server, id);
    vi.spyOn(server.runner, 'pending').mockImplementation(() => {
      throw new Error('secret internal detail');
    });
    const answer = await call(server, '/api/num_jobs');
    expect(answer.text).not.toContain('secret');
    vi.restoreAllMocks();
    await server.close();

    const lines = await readLines(logFile);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        msg: 'job failed',
        jobId: id,
        status: 'error',
        reason: expect.stringContaining('poisoned'),
      }),
    );
    // The answer is the job's failure: the request itself went well, and was about that job.
    expect(lines).toContainEqual(
      expect.objectContaining({ msg: 'request end', path: `/api/get_results/${id}`, status: 200, jobId: id }),
    );
    const failed = lines.find((line) => line.msg === 'request failed');
    expect(failed).toMatchObject({
      level: 50,
      path: '/api/num_jobs',
      status: 500,
      err: { message: 'secret internal detail' },
    });
  });
});

describe('clients that go away', () => {
  it('ends a long poll at once when its client leaves, and logs it as 499, not as a server error', async () => {
    const { server, logFile } = await startServer({ workerFile: fixtureWorker('slow') });
    const id = await submit(server, 'states_mean', { question: QUESTION });
    const waits: Array<Promise<boolean>> = [];
    const settled = server.runner.settled.bind(server.runner);
    const polled = new Promise<void>((resolve) => {
      vi.spyOn(server.runner, 'settled').mockImplementation((...args) => {
        waits.push(settled(...args));
        resolve();
        return waits.at(-1) as Promise<boolean>;
      });
    });
    const client = new AbortController();
    const poll = fetch(`${server.url}/api/get_results/${id}?wait=30000`, { signal: client.signal });
    await polled;
    client.abort();
    await expect(poll).rejects.toThrow();
    // False: the wait ended because the client left, not because the job did.
    await expect(waits[0]).resolves.toBe(false);
    vi.restoreAllMocks();
    await result(server, id);
    await server.close();

    const lines = await readLines(logFile);
    const end = lines.find((line) => line.msg !== 'request start' && line.path === `/api/get_results/${id}`);
    expect(end).toMatchObject({ msg: 'request end', status: 499, level: 30, jobId: id });
  });
});

describe('a failed drain', () => {
  it('is logged, and the server still closes', async () => {
    const { server, logFile } = await startServer();
    vi.spyOn(server.runner, 'drain').mockRejectedValueOnce(new Error('store went away'));
    await server.close();
    await expect(fetch(`${server.url}/api/num_jobs`)).rejects.toThrow();
    const failed = (await readLines(logFile)).find((line) => line.msg === 'drain failed');
    expect(failed).toMatchObject({ level: 50, err: { message: 'store went away' } });
  });
});

describe('bad log options', () => {
  it('fail the start before anything is left behind', async () => {
    // With a Redis store and no results folder, serve() makes a temporary folder for its copies.
    const privateTmp = await tempDir();
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = privateTmp;
    try {
      await expect(
        serve({ data, port: 0, store: 'redis://127.0.0.1:1/0', log: { file: join(privateTmp, 'w.log'), maxBytes: 0 } }),
      ).rejects.toThrow(/maxBytes must be a whole number >= 1, got 0/);
    } finally {
      // Assigning undefined would set the text "undefined".
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(await readdir(privateTmp)).toEqual([]);
  });
});

describe('a log the disk refuses', () => {
  it('costs the log, not the service: one warning, everything served, and close() still ends', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'logs'));
    // pino-roll appends to the highest numbered file there is: here one that is always full.
    await symlink('/dev/full', join(home, 'logs', 'webserver.1.log'));
    const warnings: Array<Error & { code?: string }> = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);
    try {
      const { server } = await startServer({}, home);
      const id = await submit(server, 'global_mean', { question: QUESTION });
      expect((await result(server, id)).body).toEqual({ status: 'done', data: expect.any(Object) });
      for (let i = 0; i < 20; i++) expect((await call(server, '/api/num_jobs')).status).toBe(200);
      await server.close();
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    const logWarnings = warnings.filter((warning) => warning.code === 'LESTATS_LOG_WRITE_FAILED');
    expect(logWarnings).toHaveLength(1);
    expect(logWarnings[0]?.message).toMatch(/cannot write the log .*webserver\.log: ENOSPC/);
  });
});

describe('a log that cannot be opened', () => {
  it('fails the start with one plain message, and closes what the start had opened', async () => {
    const home = await tempDir();
    await writeFile(join(home, 'plain'), '');
    const file = join(home, 'plain', 'webserver.log');
    const starting = startServer({ log: { file } }, home);
    await expect(starting).rejects.toThrow(new RegExp(`^cannot open the log ${file}: E[A-Z]+: `));
    await expect(starting).rejects.toBeInstanceOf(LeStatsLogError);
    expect(await openFilesUnder(home)).toEqual([]);
  });
});

describe('log rotation', () => {
  it('rolls over at the size limit, keeps the configured number of files, and links the name to the newest', async () => {
    const file = join(await tempDir(), 'logs', 'webserver.log');
    const { server } = await startServer({ log: { file, maxBytes: 4096, files: 3 } });
    // pino-roll checks the size as writes complete, so write well past several limits.
    for (let i = 0; i < 120; i++) await call(server, '/api/num_jobs');
    await server.close();

    const files = await numberedFiles(file);
    expect(files).toHaveLength(3);
    // Older files were deleted: the survivors are the newest numbers, well past 3.
    expect(Number(files[0]?.split('.')[1])).toBeGreaterThan(3);
    expect((await lstat(file)).isSymbolicLink()).toBe(true);
    expect(await readlink(file)).toBe(files.at(-1));
    expect((await readLines(file)).at(-1)?.msg).toBe('closed');
  });

  it('continues numbering after a restart and prunes the files of earlier runs', async () => {
    const file = join(await tempDir(), 'logs', 'webserver.log');
    const numbers: number[][] = [];
    for (let run = 0; run < 2; run++) {
      const { server } = await startServer({ log: { file, maxBytes: 2048, files: 2 } });
      for (let i = 0; i < 40; i++) await call(server, '/api/num_jobs');
      await server.close();
      const files = await numberedFiles(file);
      expect(files).toHaveLength(2);
      numbers.push(files.map((name) => Number(name.split('.')[1])));
    }
    expect(Math.min(...(numbers[1] as number[]))).toBeGreaterThan(Math.max(...(numbers[0] as number[])));
  });

  it('takes over a regular file under the log name: an empty one goes, the lines of another are kept as number 0', async () => {
    for (const before of ['', 'an older log\n']) {
      const file = join(await tempDir(), 'logs', 'webserver.log');
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, before);
      const { server } = await startServer({ log: { file } });
      await post(server, '/api/global_mean', { question: QUESTION });
      await server.close();
      expect((await lstat(file)).isSymbolicLink()).toBe(true);
      const lines = (await readFile(file, 'utf8')).split('\n').filter(Boolean);
      expect(lines.map((line) => JSON.parse(line).msg)).toContain('request end');
      const kept = await readFile(join(dirname(file), 'webserver.0.log'), 'utf8').catch(() => undefined);
      expect(kept).toBe(before === '' ? undefined : before);
    }
  });

  it('leaves a regular file under the log name alone when number 0 is taken too', async () => {
    const file = join(await tempDir(), 'logs', 'webserver.log');
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, 'not ours\n');
    await writeFile(join(dirname(file), 'webserver.0.log'), '{"msg":"nor this"}\n');
    const { server } = await startServer({ log: { file } });
    await post(server, '/api/global_mean', { question: QUESTION });
    await server.close();
    expect(await readFile(file, 'utf8')).toBe('not ours\n');
    expect(await readFile(join(dirname(file), 'webserver.0.log'), 'utf8')).toBe('{"msg":"nor this"}\n');
    expect((await readLines(file)).some((line) => line.msg === 'request end')).toBe(true);
  });
});
