// Long polls, graceful shutdown, close() and restarts, on servers whose jobs take 150 ms a
// batch (core's slow fixture worker), so "running" is a state the tests can rely on.
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  call,
  cleanUp,
  data,
  doneBody,
  fixtureWorker,
  openFilesUnder,
  post,
  QUESTION,
  result,
  STATE,
  startServer,
  submit,
  tempDir,
} from './harness';

const slow = { workerFile: fixtureWorker('slow') };

const SHUTTING_DOWN = '{"job_id":-1,"status":"error","reason":"shutting down"}';

afterEach(cleanUp);

describe('get_results while a job runs', () => {
  it('answers running at once, holds ?wait until the job ends, and returns as soon as it does', async () => {
    const { server } = await startServer(slow);
    const id = await submit(server, 'states_mean', { question: QUESTION });
    expect((await call(server, `/api/get_results/${id}`)).text).toBe('{"status":"running"}');
    expect((await call(server, '/api/jobs')).body).toEqual({ status: 'done', data: [{ [id]: 'running' }] });
    expect((await call(server, '/api/num_jobs')).body).toEqual({ num_jobs: 1 });

    let started = performance.now();
    expect((await call(server, `/api/get_results/${id}?wait=20`)).text).toBe('{"status":"running"}');
    expect(performance.now() - started).toBeGreaterThanOrEqual(15);

    started = performance.now();
    const answer = await call(server, `/api/get_results/${id}?wait=30000`);
    expect(answer.text).toBe(doneBody(data.queryJson('states_mean', { question: QUESTION })));
    expect(performance.now() - started).toBeLessThan(10_000);
    expect((await call(server, '/api/num_jobs')).body).toEqual({ num_jobs: 0 });
  });

  it('answers 200 with the reason for a job that failed', async () => {
    const { server } = await startServer({ workerFile: fixtureWorker('throws') });
    const id = await submit(server, 'global_mean', { question: QUESTION });
    const answer = await result(server, id);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'error', reason: expect.stringContaining('poisoned batch') });
    expect((await call(server, '/api/jobs')).body).toEqual({ status: 'done', data: [{ [id]: 'error' }] });
  });
});

describe('graceful shutdown', () => {
  it('finishes queued jobs, refuses new ones, keeps answering GETs, then reports done', async () => {
    const { server, resultsDir } = await startServer(slow);
    const ids = [];
    for (const name of ['states_mean', 'best5', 'state_mean', 'mean_by_category'] as const) {
      ids.push(await submit(server, name, { question: QUESTION, state: STATE }));
    }

    const first = await call(server, '/api/graceful_shutdown');
    expect(first.status).toBe(200);
    expect(first.text).toBe('{"status":"running"}');

    const refused = await post(server, '/api/states_mean', { question: QUESTION });
    expect(refused.status).toBe(503);
    expect(refused.text).toBe(SHUTTING_DOWN);
    // Refused even when the body is bad: a draining server does no work for new jobs.
    expect((await post(server, '/api/states_mean', '[]')).text).toBe(SHUTTING_DOWN);

    for (const path of ['/api/jobs', '/api/num_jobs', '/api/questions', '/api/states', `/api/get_results/${ids[0]}`]) {
      expect((await call(server, path)).status, path).toBe(200);
    }
    expect((await call(server, '/api/health')).body).toMatchObject({ accepting: false });

    let progress = first.text;
    while (progress === '{"status":"running"}') {
      await new Promise((resolve) => setTimeout(resolve, 25));
      progress = (await call(server, '/api/graceful_shutdown')).text;
    }
    expect(progress).toBe('{"status":"done"}');

    for (const id of ids) {
      expect((await call(server, `/api/get_results/${id}`)).body).toMatchObject({ status: 'done' });
      expect(existsSync(join(resultsDir, `${id}.json`))).toBe(true);
    }
    expect((await call(server, '/api/num_jobs')).body).toEqual({ num_jobs: 0 });
    // Idempotent, and GETs keep answering after the drain.
    expect((await call(server, '/api/graceful_shutdown')).text).toBe('{"status":"done"}');
    expect((await call(server, '/api/jobs')).body).toEqual({
      status: 'done',
      data: ids.map((id) => ({ [id]: 'done' })),
    });
    await server.drained;
  });

  it('needs the admin token when one is configured', async () => {
    const { server } = await startServer({ adminToken: 's3cret-token' });
    for (const authorization of [
      undefined,
      'Bearer wrong',
      'Bearer s3cret-toke',
      'Bearer s3cret-token-and-more',
      's3cret-token',
    ]) {
      const answer = await call(server, '/api/graceful_shutdown', authorization ? { headers: { authorization } } : {});
      expect(answer.status, authorization).toBe(401);
      expect(answer.body).toEqual({ status: 'error', reason: expect.stringContaining('Bearer') });
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    }
    expect(server.runner.accepting).toBe(true);
    const answer = await call(server, '/api/graceful_shutdown', { headers: { authorization: 'bearer s3cret-token' } });
    expect(answer.status).toBe(200);
    expect(server.runner.accepting).toBe(false);
    // The scheme and the token may be apart by more than one space (RFC 9110 11.4: 1*SP).
    const spaced = await call(server, '/api/graceful_shutdown', {
      headers: { authorization: 'Bearer   s3cret-token' },
    });
    expect(spaced.status).toBe(200);
  });

  it.each(['', 'two words', ' padded', 'jeton-é'])(
    'refuses to start with the admin token %j, which no request could present, before opening anything',
    async (adminToken) => {
      const home = await tempDir();
      await expect(startServer({ adminToken }, home)).rejects.toThrow(
        new RangeError('the admin token must be visible ASCII characters without spaces'),
      );
      // No log file, no results folder: nothing was opened that would need closing.
      expect(await readdir(home)).toEqual([]);
    },
  );
});

describe('close()', () => {
  it('lets accepted jobs finish and persist before it stops listening', async () => {
    const { server, resultsDir } = await startServer(slow);
    const ids = [
      await submit(server, 'worst5', { question: QUESTION }),
      await submit(server, 'global_mean', { question: QUESTION }),
    ];
    await server.close();
    for (const id of ids) expect(existsSync(join(resultsDir, `${id}.json`))).toBe(true);
    await expect(fetch(`${server.url}/api/num_jobs`)).rejects.toThrow();
    // Idempotent.
    await server.close();
  });

  it('resolves drained when its runner was drained or shut down directly, and closes', async () => {
    for (const stop of ['drain', 'shutdown'] as const) {
      const { server } = await startServer(slow);
      const id = await submit(server, 'global_mean', { question: QUESTION });
      const stopped = server.runner[stop]();
      await server.drained;
      expect(server.runner.status(id)).toBe('done');
      await stopped;
      await server.close();
      await expect(fetch(`${server.url}/api/num_jobs`)).rejects.toThrow();
    }
  });

  it.each([
    ['a port in use', (busy: number) => ({ port: busy }), /EADDRINUSE/],
    ['threads: 0', () => ({ threads: 0 }), /threads must be a whole number from 1 to 1024/],
    ['maxQueue: 0', () => ({ maxQueue: 0 }), /maxQueue must be a whole number >= 1/],
  ])('fails to start with %s, and leaves no file of its folder open', async (_, options, message) => {
    const { server } = await startServer();
    const home = await tempDir();
    await expect(startServer(options(server.port), home)).rejects.toThrow(message);
    expect(await openFilesUnder(home)).toEqual([]);
  });
});

describe('close() and its connections', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  /** Lets the event loop go round `count` times, whatever the timers do. */
  async function turns(count: number): Promise<void> {
    for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
  }

  /** Sends `request` on a new connection and resolves once what came back contains `expected`. */
  async function exchange(port: number, request: string, expected: string): Promise<Socket> {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => {
      received += String(chunk);
    });
    socket.write(request);
    while (!received.includes(expected)) await once(socket, 'data');
    return socket;
  }

  /** A connection whose request has reached the server (it answered 100 Continue) and whose body stalls. */
  async function stalledRequest(port: number): Promise<Socket> {
    const head = 'POST /api/global_mean HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 100\r\n\r\n';
    const socket = await exchange(port, head, 'HTTP/1.1 100 Continue');
    socket.write('{"question":');
    return socket;
  }

  /** A keep-alive connection that has had its answer and sits idle. */
  function idleConnection(port: number): Promise<Socket> {
    return exchange(port, 'GET /api/num_jobs HTTP/1.1\r\nHost: x\r\n\r\n', '{"num_jobs":0}');
  }

  it('closes idle connections at once, cuts a stalled client after 5 s, and leaves no timer behind', async () => {
    const { server } = await startServer();
    const idle = await idleConnection(server.port);
    const stalled = await stalledRequest(server.port);
    const idleClosed = once(idle, 'close');
    let stalledOpen = true;
    stalled.on('close', () => {
      stalledOpen = false;
    });
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    const closing = server.close();
    // Real time runs on; only the timers close() sets wait for the test to move them.
    while (vi.getTimerCount() === 0) await turns(1);
    await idleClosed;
    await vi.advanceTimersByTimeAsync(4_900);
    // Time for a cut connection's close to reach this end.
    await turns(100);
    expect(stalledOpen).toBe(true);
    await vi.advanceTimersByTimeAsync(100);
    await closing;
    expect(stalledOpen).toBe(false);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves no timer behind when nothing holds it open', async () => {
    const { server } = await startServer();
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    await server.close();
    expect(vi.getTimerCount()).toBe(0);
  });

  // Linux lists the threads of a process in /proc/self/task.
  it.runIf(existsSync('/proc/self/task'))('stops the worker threads of a start that fails', async () => {
    const { server } = await startServer();
    const threads = async () => (await readdir('/proc/self/task')).length;
    const before = await threads();
    await expect(startServer({ port: server.port, threads: 4 })).rejects.toThrow(/EADDRINUSE/);
    expect(await threads()).toBeLessThanOrEqual(before);
  });

  it('rejects drained when the drain fails, and leaves no unhandled rejection', async () => {
    const { server } = await startServer();
    const unhandled = vi.fn();
    process.on('unhandledRejection', unhandled);
    try {
      vi.spyOn(server.runner, 'drain').mockRejectedValue(new Error('pool would not stop'));
      // What drain() announces as it begins.
      server.runner.emit('draining');
      await turns(1);
      expect(unhandled).not.toHaveBeenCalled();
      await expect(server.drained).rejects.toThrow('pool would not stop');
    } finally {
      process.off('unhandledRejection', unhandled);
      vi.restoreAllMocks();
    }
  });
});

describe('restart on the same results folder', () => {
  it('keeps old results retrievable and continues the ids', async () => {
    const first = await startServer();
    const ids = [
      await submit(first.server, 'states_mean', { question: QUESTION }),
      await submit(first.server, 'state_mean_by_category', { question: QUESTION, state: STATE }),
    ];
    const bodies = await Promise.all(ids.map(async (id) => (await result(first.server, id)).text));
    await first.server.close();

    const second = await startServer({}, first.dir);
    for (const [i, id] of ids.entries()) {
      const answer = await call(second.server, `/api/get_results/${id}`);
      expect(answer.text).toBe(bodies[i]);
      expect(await readFile(join(second.resultsDir, `${id}.json`), 'utf8')).toBe(
        (bodies[i] as string).slice('{"status":"done","data":'.length, -1),
      );
    }
    expect((await call(second.server, '/api/jobs')).body).toEqual({
      status: 'done',
      data: ids.map((id) => ({ [id]: 'done' })),
    });
    expect(await submit(second.server, 'global_mean', { question: QUESTION })).toBe('job_id_3');
  });

  it('answers a damaged file left in the folder as that job’s error, in valid JSON, and lists it so once read', async () => {
    const home = await tempDir();
    await mkdir(join(home, 'results'));
    await writeFile(join(home, 'results', 'job_id_4.json'), '{"Ohio": 31.');
    await writeFile(join(home, 'results', 'job_id_5.error.json'), '');
    const { server } = await startServer({}, home);
    expect((await call(server, '/api/get_results/job_id_4')).body).toEqual({
      status: 'error',
      reason: 'damaged file job_id_4.json: not valid JSON',
    });
    expect((await call(server, '/api/get_results/job_id_5')).body).toEqual({
      status: 'error',
      reason: 'damaged file job_id_5.error.json: no "reason" string in it',
    });
    expect((await call(server, '/api/jobs')).body).toEqual({
      status: 'done',
      data: [{ job_id_4: 'error' }, { job_id_5: 'error' }],
    });
    expect(await submit(server, 'global_mean', { question: QUESTION })).toBe('job_id_6');
  });
});
