import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { LeStatsInputError } from '../errors';
import { fileStore } from './file-store';
import { formatJobId, type JobId, parseJobId } from './job-id';
import { type RedisStoreOptions, redisStore } from './redis-store';
import type { JobEvent, JobRunner } from './runner';
import type { ResultStore, SharedJobs } from './store';
import { CuttingProxy } from './test-redis/cutting-proxy';
import { redisServerBinary, TestRedis } from './test-redis/redis-server';
import {
  cleanUp,
  expectedJson,
  fixtureWorker,
  mixedJobs,
  startRunner,
  type TestJob,
  tempDir,
} from './test-workers/harness';

const binary = redisServerBinary();
// Short leases keep the takeover tests fast (an instance renews every 300 ms), yet long
// enough that a busy test process does not miss one and pass for dead.
const LEASE_MS = 1500;

const submit = (runner: JobRunner, job: TestJob) => runner.submit(job.name, job.params);
const specOf = (job: TestJob) => JSON.stringify([job.name, job.params]);
const numbers = (ids: readonly string[]) => ids.map((id) => parseJobId(id) as number).sort((a, b) => a - b);
const oneTo = (count: number) => Array.from({ length: count }, (_, i) => i + 1);

/**
 * How long a test waits for something that must happen: what takes a second here can take
 * ten on a loaded two-core machine. Every such wait stays under the one-minute lease below.
 */
const PATIENCE_MS = 30_000;

/**
 * How long a test waits for what must happen before a store with a one-minute lease could do
 * it instead at its first heartbeat (12 s): a longer wait would let the heartbeat pass the test.
 */
const SOON_MS = 3000;

/** Retries `attempt` every 50 ms until it resolves, for at most `ms`. */
const eventually = <T>(attempt: () => Promise<T>, ms = PATIENCE_MS): Promise<T> =>
  vi.waitFor(attempt, { timeout: ms, interval: 50 });

describe.skipIf(binary === undefined)('redisStore', () => {
  let redis: TestRedis;
  /** A client of the tests' own, to look into Redis or to empty it. */
  let client: Redis;
  let services = 0;
  const stores: ResultStore[] = [];
  const proxies: CuttingProxy[] = [];

  beforeAll(async () => {
    redis = await TestRedis.start(binary as string);
    client = new Redis(redis.url());
  });
  afterEach(async () => {
    await cleanUp();
    for (const store of stores.splice(0)) await store.close();
    // Last: the stores above may still talk through them as they close.
    for (const proxy of proxies.splice(0)) await proxy.close();
  });
  afterAll(async () => {
    client?.disconnect();
    await redis?.stop();
  });

  /** A key prefix of its own: one service, isolated from the other tests on the same Redis. */
  const newService = () => `service${++services}`;

  function runnerOn(prefix: string, options: Partial<RedisStoreOptions> = {}, worker?: 'slow' | 'throws'): JobRunner {
    const store = redisStore({ url: redis.url(), prefix, leaseMs: LEASE_MS, ...options });
    return startRunner({ store, threads: 1, ...(worker === undefined ? {} : { workerFile: fixtureWorker(worker) }) });
  }

  /** Submits to `runner` the jobs at even (0) or odd (1) places, writing their ids at the same places of `ids`. */
  async function submitAt(runner: JobRunner, jobs: readonly TestJob[], parity: 0 | 1, ids: JobId[]): Promise<JobId[]> {
    await Promise.all(
      jobs.map(async (job, i) => {
        if (i % 2 === parity) ids[i] = await submit(runner, job);
      }),
    );
    return ids.filter((_, i) => i % 2 === parity);
  }

  /** A relay to the tests' Redis that can lose replies or cut it off, closed after the test. */
  async function startProxy(): Promise<CuttingProxy> {
    const proxy = await CuttingProxy.start(redis.port);
    proxies.push(proxy);
    return proxy;
  }

  /** A bare store, as an instance that accepts jobs but never runs them. */
  async function bareStore(
    prefix: string,
    url = redis.url(),
    leaseMs = LEASE_MS,
  ): Promise<ResultStore & { shared: SharedJobs }> {
    const store = redisStore({ url, prefix, leaseMs });
    await store.open();
    stores.push(store);
    return store as ResultStore & { shared: SharedJobs };
  }

  /** Closes a bare store before the test ends, as an instance that stops. */
  async function closeBare(store: ResultStore): Promise<void> {
    await store.close();
    stores.splice(stores.indexOf(store), 1);
  }

  async function expectAnswered(runner: JobRunner, ids: readonly JobId[], jobs: readonly TestJob[]): Promise<void> {
    const answers = await Promise.all(
      ids.map(async (id) => (await runner.settled(id, PATIENCE_MS)) && runner.outcome(id)),
    );
    expect(answers).toEqual(jobs.map((job) => ({ status: 'done', json: expectedJson(job) })));
  }

  it('issues ids from one counter across instances, and each instance answers for the jobs of the other', async () => {
    const prefix = newService();
    const [a, b] = [runnerOn(prefix), runnerOn(prefix)];
    await Promise.all([a.ready(), b.ready()]);
    const jobs = mixedJobs(200, 5);
    const ids = await Promise.all(jobs.map((job, i) => submit(i % 2 === 0 ? a : b, job)));
    expect(numbers(ids)).toEqual(oneTo(200));
    await expectAnswered(a, ids, jobs);
    await expectAnswered(b, ids, jobs);
    expect(await a.wait(ids[1] as JobId)).toEqual({
      status: 'done',
      data: JSON.parse(expectedJson(jobs[1] as TestJob)),
    });
  });

  it('answers counts, listings and lookups asked before it has connected once it has', async () => {
    const runner = runnerOn(newService());
    expect(await Promise.all([runner.pendingTotal(), runner.jobs(), runner.lookup('job_id_1')])).toEqual([
      0,
      [],
      undefined,
    ]);
  });

  it('lists the whole service in id order, in pages, and counts the pending jobs of every instance', async () => {
    const prefix = newService();
    const idle = await bareStore(prefix);
    const [a, b] = [runnerOn(prefix), runnerOn(prefix)];
    await Promise.all([a.ready(), b.ready()]);
    const jobs = mixedJobs(12, 8);
    const waiting = [
      await idle.shared.accept(specOf(jobs[0] as TestJob)),
      await idle.shared.accept(specOf(jobs[1] as TestJob)),
    ];
    const ids = [
      ...(await Promise.all(jobs.slice(2, 7).map((job) => submit(a, job)))),
      ...(await Promise.all(jobs.slice(7).map((job) => submit(b, job)))),
    ];
    for (const id of ids) expect(await a.settled(id, PATIENCE_MS)).toBe(true);
    idle.shared.started([waiting[1] as number]);

    const expected = [
      { id: formatJobId(waiting[0] as number), status: 'queued' },
      { id: formatJobId(waiting[1] as number), status: 'running' },
      ...ids.map((id) => ({ id, status: 'done' })),
    ];
    await eventually(async () => expect(await b.jobs()).toEqual(expected));
    expect(await a.jobs()).toEqual(expected);
    expect(await b.jobs({ offset: 3, limit: 4 })).toEqual(expected.slice(3, 7));
    expect(await b.jobs({ offset: 10 })).toEqual(expected.slice(10));
    expect(await b.jobs({ offset: 50, limit: 5 })).toEqual([]);
    expect(await b.jobs({ limit: 0 })).toEqual([]);
    await expect(b.jobs({ offset: -1 })).rejects.toThrow(LeStatsInputError);
    expect(await a.pendingTotal()).toBe(2);
    expect(await b.pendingTotal()).toBe(2);
    expect(b.pending()).toBe(0);
    expect(await b.lookup(formatJobId(waiting[0] as number))).toBe('queued');
    expect(b.status(formatJobId(waiting[0] as number))).toBeUndefined();
    expect(await b.lookup('job_id_4000')).toBeUndefined();
    expect(await b.lookup('job_id_0')).toBeUndefined();
    expect(await b.outcome('job_id_4000')).toBeUndefined();
    expect(await b.settled('job_id_4000', 1000)).toBe(false);
  });

  it('wakes a wait on a job of another instance when that instance finishes it', async () => {
    const prefix = newService();
    const [slow, other] = [runnerOn(prefix, {}, 'slow'), runnerOn(prefix)];
    await Promise.all([slow.ready(), other.ready()]);
    const [job] = mixedJobs(1, 9) as [TestJob];
    const id = await submit(slow, job);
    expect(await other.settled(id, 1)).toBe(false);
    expect(await other.lookup(id)).toMatch(/^(queued|running)$/);
    expect(await other.outcome(id)).toBeUndefined();
    expect(await other.settled(id)).toBe(true);
    expect(await other.outcome(id)).toEqual({ status: 'done', json: expectedJson(job) });
  });

  it('ends a wait on a job of another instance with shutting_down when it shuts down first', async () => {
    const prefix = newService();
    const idle = await bareStore(prefix);
    const runner = runnerOn(prefix);
    await runner.ready();
    const id = formatJobId(await idle.shared.accept(specOf(mixedJobs(1, 5)[0] as TestJob)));
    const waits = [runner.wait(id), runner.settled(id), runner.settled(id, 60_000)];
    await sleep(50);
    await runner.shutdown();
    for (const wait of waits) await expect(wait).rejects.toMatchObject({ code: 'shutting_down' });
  });

  it('is ready only once Redis hands out ids again, even when the hold is extended meanwhile', async () => {
    // Ready used to come after one sleep of the hold's PTTL, which can end a millisecond
    // before the hold does (about one fresh start in fifty then refused its first job), and
    // ends well before it when the keyspace is lost and held again during that sleep.
    const prefix = newService();
    await client.set(`${prefix}:epoch`, 'lost-and-refilling');
    await client.set(`${prefix}:recovering`, '1', 'PX', 300);
    const opening = bareStore(prefix, redis.url(), 100);
    await sleep(100);
    await client.set(`${prefix}:recovering`, '1', 'PX', 500);
    const store = await opening;
    await expect(store.shared.accept(specOf(mixedJobs(1, 3)[0] as TestJob))).resolves.toBe(1);
  });

  it('refuses to start when Redis cannot be reached, with a clear store_unavailable error', async () => {
    const down = await TestRedis.start(binary as string);
    // The password in the URL is never shown.
    const url = down.url(3).replace('//', '//user:s3cret@');
    await down.stop();
    const runner = startRunner({ store: redisStore({ url }) });
    const refusal = {
      name: 'LeStatsRunnerError',
      code: 'store_unavailable',
      message: expect.stringMatching(
        /^store unavailable: Redis at redis:\/\/user:\*\*\*@127\.0\.0\.1:\d+\/3: (?!.*s3cret).*ECONNREFUSED/,
      ),
    };
    await expect(runner.ready()).rejects.toMatchObject(refusal);
    const [job] = mixedJobs(1, 2) as [TestJob];
    await expect(submit(runner, job)).rejects.toMatchObject(refusal);
    await runner.shutdown();
  });

  it('rejects bad options at once', () => {
    expect(() => redisStore({ url: 'http://localhost:6379' })).toThrow(/redis:\/\/host:port\/db/);
    expect(() => redisStore({ url: redis.url(), prefix: '' })).toThrow(/prefix/);
    expect(() => redisStore({ url: redis.url(), retentionSeconds: 0.5 })).toThrow(
      /retentionSeconds must be a whole number >= 1, got 0.5/,
    );
    expect(() => redisStore({ url: redis.url(), retentionSeconds: 0 })).toThrow(
      /retentionSeconds must be a whole number >= 1, got 0/,
    );
    expect(() => redisStore({ url: redis.url(), leaseMs: 10 })).toThrow(/leaseMs/);
    expect(() => redisStore({ url: redis.url(), leaseMs: 99 })).toThrow(
      /leaseMs must be a whole number >= 100, got 99/,
    );
  });

  it('takes TLS URLs and the smallest retention and lease', () => {
    expect(() =>
      redisStore({ url: 'rediss://user:pw@cache.example:6380/2', retentionSeconds: 1, leaseMs: 100 }),
    ).not.toThrow();
  });

  it('forgets finished jobs after retentionSeconds, service-wide', async () => {
    const prefix = newService();
    const [a, b] = [runnerOn(prefix, { retentionSeconds: 2 }), runnerOn(prefix, { retentionSeconds: 2 })];
    await Promise.all([a.ready(), b.ready()]);
    const jobs = mixedJobs(3, 4);
    const ids = await Promise.all(jobs.map((job) => submit(a, job)));
    await expectAnswered(b, ids, jobs);
    expect((await b.jobs()).map((entry) => entry.id)).toEqual(ids);
    await eventually(async () => expect(await b.jobs()).toEqual([]));
    for (const id of ids) {
      expect(await b.lookup(id)).toBeUndefined();
      expect(await b.outcome(id)).toBeUndefined();
    }
    // Later jobs still get new ids.
    const later = await submit(b, jobs[0] as TestJob);
    expect(parseJobId(later)).toBe(4);
    // The forgotten jobs left the list itself, not just its answers: pages do not count them.
    await eventually(async () => {
      expect(await b.jobs({ offset: 1 })).toEqual([]);
      expect((await b.jobs()).map((entry) => entry.id)).toEqual([later]);
    });
  });

  it('survives a Redis restart: refuses submissions while it is down, loses no accepted job and reuses no id', async () => {
    const own = await TestRedis.start(binary as string);
    try {
      const prefix = newService();
      const store = (url: string) => redisStore({ url, prefix, leaseMs: LEASE_MS });
      const slow = startRunner({ store: store(own.url()), workerFile: fixtureWorker('slow'), threads: 1 });
      const quick = startRunner({ store: store(own.url()) });
      await Promise.all([slow.ready(), quick.ready()]);
      const jobs = mixedJobs(40, 6);
      const early: JobId[] = [];
      // Quick's jobs end first; slow's, submitted after, are then surely still running when Redis goes.
      for (const id of await submitAt(quick, jobs.slice(0, 20), 1, early)) {
        expect(await quick.settled(id, PATIENCE_MS)).toBe(true);
      }
      await submitAt(slow, jobs.slice(0, 20), 0, early);
      expect(slow.pending()).toBeGreaterThan(0);

      await own.kill();
      const refusal = { code: 'store_unavailable', message: expect.stringContaining('store unavailable: Redis at') };
      await expect(submit(quick, jobs[20] as TestJob)).rejects.toMatchObject(refusal);
      await expect(submit(slow, jobs[21] as TestJob)).rejects.toMatchObject(refusal);
      await expect(quick.lookup(early[0] as JobId)).rejects.toMatchObject(refusal);
      // Each instance still answers for its own jobs, those finished while Redis is away included.
      for (const [i, id] of early.entries()) {
        const owner = i % 2 === 0 ? slow : quick;
        expect(await owner.settled(id, PATIENCE_MS)).toBe(true);
        expect(await owner.outcome(id)).toEqual({ status: 'done', json: expectedJson(jobs[i] as TestJob) });
      }

      await own.resume();
      const late = await eventually(() => submit(quick, jobs[20] as TestJob));
      const later = await Promise.all(jobs.slice(21).map((job, i) => submit(i % 2 === 0 ? slow : quick, job)));
      const all = [...early, late, ...later];
      expect(new Set(all).size).toBe(all.length);
      expect(Math.min(...numbers([late, ...later]))).toBeGreaterThan(Math.max(...numbers(early)));
      await expectAnswered(quick, all, jobs);
      await expectAnswered(slow, all, jobs);
      expect(await quick.jobs()).toEqual(numbers(all).map((n) => ({ id: formatJobId(n), status: 'done' })));
      expect(await slow.pendingTotal()).toBe(0);
    } finally {
      await cleanUp();
      await own.stop();
    }
  });

  it('refills a Redis emptied under the running service (FLUSHALL, no reconnection)', async () => {
    const prefix = newService();
    const [a, b] = [runnerOn(prefix, {}, 'slow'), runnerOn(prefix)];
    await Promise.all([a.ready(), b.ready()]);
    const jobs = mixedJobs(12, 14);
    const first = jobs.slice(0, 10);
    const early: JobId[] = [];
    // B's jobs end first; a's slow ones, submitted after, are then surely still running when Redis is emptied.
    await expectAnswered(
      b,
      await submitAt(b, first, 1, early),
      first.filter((_, i) => i % 2 === 1),
    );
    await submitAt(a, first, 0, early);
    expect(a.pending()).toBeGreaterThan(0);
    await client.flushall();
    await expect(submit(b, jobs[11] as TestJob)).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/lost its data|being refilled/),
    });
    // The instances notice at their next heartbeat and publish what they hold again.
    const list = numbers(early).map((n) => ({ id: formatJobId(n), status: 'done' }));
    await eventually(async () => expect(await b.jobs()).toEqual(list));
    await expectAnswered(a, early, jobs.slice(0, 10));
    const late = await eventually(() => submit(a, jobs[10] as TestJob));
    expect(parseJobId(late)).toBe(11);
  });

  it('shares a failed job with its reason', async () => {
    const prefix = newService();
    const [failing, other] = [runnerOn(prefix, {}, 'throws'), runnerOn(prefix)];
    await Promise.all([failing.ready(), other.ready()]);
    const [job] = mixedJobs(1, 1, ['global_mean']) as [TestJob];
    const id = await submit(failing, job);
    expect(await other.settled(id, PATIENCE_MS)).toBe(true);
    expect(await other.wait(id)).toEqual({ status: 'error', reason: 'worker failed: poisoned batch' });
  });

  it('fails a job taken over from a dead instance when it cannot run here', async () => {
    const prefix = newService();
    const runner = runnerOn(prefix);
    await runner.ready();
    const gone = await bareStore(prefix);
    const events: JobEvent[] = [];
    runner.on('job', (event) => events.push(event));
    const unknownQuestion = await gone.shared.accept(
      JSON.stringify(['states_mean', { question: 'Nobody asked this' }]),
    );
    const unknownQuery = await gone.shared.accept(JSON.stringify(['no_such_query', {}]));
    await closeBare(gone);
    for (const n of [unknownQuestion, unknownQuery]) {
      expect(await runner.settled(formatJobId(n), PATIENCE_MS)).toBe(true);
      expect(await runner.outcome(formatJobId(n))).toEqual({
        status: 'error',
        reason: expect.stringMatching(/^cannot run the job taken over from a dead instance: /),
      });
    }
    // Only the job that named a query can say which query failed.
    expect(events.map((event) => [event.id, event.query, event.status])).toEqual([
      [formatJobId(unknownQuestion), 'states_mean', 'error'],
    ]);
  });

  it('publishes the jobs an instance finds in its results folder when it starts', async () => {
    const prefix = newService();
    const dir = await tempDir();
    const first = runnerOn(prefix, { mirror: fileStore(dir) });
    const jobs = mixedJobs(4, 15);
    const ids = await Promise.all(jobs.map((job) => submit(first, job)));
    await expectAnswered(first, ids, jobs);
    await first.shutdown();
    await client.flushall();

    const [again, other] = [runnerOn(prefix, { mirror: fileStore(dir) }), runnerOn(prefix)];
    await Promise.all([again.ready(), other.ready()]);
    expect(again.list()).toEqual(ids.map((id) => ({ id, status: 'done' })));
    await expectAnswered(other, ids, jobs);
    expect(parseJobId(await submit(other, jobs[0] as TestJob))).toBe(5);
  });

  it('fails to open when its mirror cannot open, and lets go of Redis', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'file'), '');
    const runner = runnerOn(newService(), { mirror: fileStore(join(dir, 'file', 'results')) });
    await expect(runner.ready()).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/results folder .*: ENOTDIR/),
    });
    await runner.shutdown();
  });

  it('hands the jobs of an instance killed with SIGKILL to the live ones once its lease runs out', async () => {
    const prefix = newService();
    const live = runnerOn(prefix);
    await live.ready();
    const [count, seed] = [300, 12];
    const doomed = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        new URL('./test-redis/doomed-instance.ts', import.meta.url).pathname,
        redis.url(),
        prefix,
        String(LEASE_MS),
        String(count),
        String(seed),
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const exited = once(doomed, 'exit');
    const [line] = (await once(createInterface({ input: doomed.stdout }), 'line')) as [string];
    doomed.kill('SIGKILL');
    await exited;
    const ids = JSON.parse(line) as JobId[];
    expect(numbers(ids)).toEqual(oneTo(count));
    expect(await live.pendingTotal()).toBeGreaterThan(0);
    await expectAnswered(live, ids, mixedJobs(count, seed));
    expect(await live.pendingTotal()).toBe(0);
    expect(live.counts().done).toBeGreaterThan(0);
  });

  it('has a job run whose acceptance reached Redis but whose answer was lost on the way back', async () => {
    const prefix = newService();
    const proxy = await startProxy();
    const runner = runnerOn(prefix);
    await runner.ready();
    // A lease long enough that no heartbeat crosses the cut: the cut hits the acceptance.
    const cut = await bareStore(prefix, `redis://127.0.0.1:${proxy.port}/0`, 60_000);
    const [first, lost] = mixedJobs(2, 13) as [TestJob, TestJob];
    expect(await cut.shared.accept(specOf(first))).toBe(1);
    proxy.cutNextReply();
    await expect(cut.shared.accept(specOf(lost))).rejects.toMatchObject({ code: 'store_unavailable' });
    // Reconnected, the store finds job 2 recorded as its own, hands it over, and the runner runs it.
    expect(await runner.settled('job_id_2', PATIENCE_MS)).toBe(true);
    expect(await runner.outcome('job_id_2')).toEqual({ status: 'done', json: expectedJson(lost) });
    expect(await runner.jobs()).toEqual([
      { id: 'job_id_1', status: 'queued' },
      { id: 'job_id_2', status: 'done' },
    ]);
  });

  it('hands over, after a lost acceptance reply, only the stray job, not one it took over and still holds', async () => {
    const prefix = newService();
    const proxy = await startProxy();
    const reaper = await bareStore(prefix);
    const gone = await bareStore(prefix, redis.url(), 60_000);
    const orphan = await gone.shared.accept('["orphan",{}]');
    await closeBare(gone);
    const cut = await bareStore(prefix, `redis://127.0.0.1:${proxy.port}/0`, 60_000);
    await eventually(
      async () => expect(await cut.shared.adopt(10)).toEqual([{ id: orphan, spec: '["orphan",{}]' }]),
      SOON_MS,
    );
    proxy.cutNextReply();
    await expect(cut.shared.accept('["stray",{}]')).rejects.toMatchObject({ code: 'store_unavailable' });
    await eventually(
      async () => expect(await reaper.shared.adopt(10)).toEqual([{ id: orphan + 1, spec: '["stray",{}]' }]),
      SOON_MS,
    );
    expect(await reaper.shared.adopt(10)).toEqual([]);
  });

  it('fails a job with "instance died" once every instance that took it over died too', async () => {
    const prefix = newService();
    const [job] = mixedJobs(1, 3) as [TestJob];
    const first = await bareStore(prefix);
    const id = await first.shared.accept(specOf(job));
    let holder = first;
    // The first holder and two that take the job over each stop without finishing it.
    for (let takeover = 1; takeover <= 2; takeover++) {
      await closeBare(holder);
      const next = await bareStore(prefix);
      await eventually(async () => expect(await next.shared.adopt(10)).toEqual([{ id, spec: specOf(job) }]));
      holder = next;
    }
    await closeBare(holder);
    const witness = await bareStore(prefix);
    await eventually(async () => expect(await witness.shared.statuses([id])).toEqual(['error']));
    expect(await witness.read(id)).toEqual({ status: 'error', reason: expect.stringMatching(/^instance died: /) });
    expect(await witness.shared.pendingCount()).toBe(0);
  });

  it('renews its lease five times per lease', async () => {
    const prefix = newService();
    await bareStore(prefix, redis.url(), 2000);
    // Its heartbeats start once it is open, after the hold on a new keyspace's ids.
    await sleep(500);
    const [lease] = (await client.keys(`${prefix}:lease:*`)) as [string];
    let least = Number.POSITIVE_INFINITY;
    for (let i = 0; i < 12; i++) {
      least = Math.min(least, await client.pttl(lease));
      await sleep(50);
    }
    // Renewed every 400 ms, it keeps 1600 ms or more; the margin allows for a late timer.
    expect(least).toBeGreaterThan(1000);
  });

  it('hands the jobs of an instance that closes over at once, as many at a time as asked', async () => {
    const prefix = newService();
    const reaper = await bareStore(prefix);
    // A lease of a minute: only its leaving lets the reaper's next heartbeat hand its jobs over.
    const leaving = await bareStore(prefix, redis.url(), 60_000);
    const specs = ['["first",{}]', '["second",{}]', '["third",{}]'];
    const ids: number[] = [];
    for (const spec of specs) ids.push(await leaving.shared.accept(spec));
    await closeBare(leaving);
    const taken = await eventually(async () => {
      const jobs = await reaper.shared.adopt(2);
      expect(jobs).toHaveLength(2);
      return jobs;
    }, SOON_MS);
    taken.push(...(await reaper.shared.adopt(2)));
    expect(taken.sort((x, y) => x.id - y.id)).toEqual(ids.map((id, i) => ({ id, spec: specs[i] })));
    expect(await reaper.shared.adopt(2)).toEqual([]);
  });

  it('keeps the first outcome saved for a job that two instances finish', async () => {
    const prefix = newService();
    const [first, second] = [await bareStore(prefix), await bareStore(prefix)];
    const id = await first.shared.accept('["taken over",{}]');
    await first.save(id, { status: 'done', json: '[1]' });
    await second.save(id, { status: 'error', reason: 'finished twice' });
    expect(await second.shared.statuses([id])).toEqual(['done']);
    expect(await (await bareStore(prefix)).read(id)).toEqual({ status: 'done', json: '[1]' });
  });

  it('keeps only the status and outcome of a finished job, which a late started mark leaves alone', async () => {
    const prefix = newService();
    const store = await bareStore(prefix);
    const [done, failed] = [await store.shared.accept('["a",{}]'), await store.shared.accept('["b",{}]')];
    store.shared.started([done]);
    await store.save(done, { status: 'done', json: '[1]' });
    await store.save(failed, { status: 'error', reason: 'broke' });
    store.shared.started([done, failed]);
    // Asked on the store's own connection, after the mark: the mark has run.
    expect(await store.shared.statuses([done, 999, failed])).toEqual(['done', undefined, 'error']);
    expect(await client.hgetall(`${prefix}:job:${done}`)).toEqual({ s: 'd', v: '[1]' });
    expect(await client.hgetall(`${prefix}:job:${failed}`)).toEqual({ s: 'e', v: 'broke' });
    expect(await client.keys(`${prefix}:owned:*`)).toEqual([]);
  });

  it('refuses submissions while Redis is held for refilling, and takes them again after', async () => {
    const prefix = newService();
    const store = await bareStore(prefix);
    await client.set(`${prefix}:recovering`, '1', 'PX', 60_000);
    await expect(store.shared.accept('["held",{}]')).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/: it is being refilled after losing its data; retry in a moment$/),
    });
    await client.del(`${prefix}:recovering`);
    expect(await store.shared.accept('["held",{}]')).toBe(1);
  });

  it('lists past its 10 000-job chunks, leaving out a job whose record expired before it left the list', async () => {
    const prefix = newService();
    const store = await bareStore(prefix);
    const [count, expired] = [10_005, 10_002];
    const fill = client.pipeline();
    for (let n = 1; n <= count; n++) {
      fill.zadd(`${prefix}:ids`, n, n);
      if (n !== expired) fill.hset(`${prefix}:job:${n}`, 's', 'd');
    }
    await fill.exec();
    const listed = await store.shared.list({ offset: 0, limit: count });
    expect(listed).toHaveLength(count - 1);
    expect(listed.slice(9_998)).toEqual([9_999, 10_000, 10_001, 10_003, 10_004, 10_005].map((n) => [n, 'done']));
  });

  it('answers its own outcomes while cut off from Redis, and publishes the ones saved meanwhile once back', async () => {
    const prefix = newService();
    const proxy = await startProxy();
    // The witness makes the keyspace: one made by a store with a long lease holds ids back for long.
    const witness = await bareStore(prefix);
    // A lease of a minute: no heartbeat publishes anything, only the reconnection does.
    const cut = await bareStore(prefix, `redis://127.0.0.1:${proxy.port}/0`, 60_000);
    const [before, during] = [await cut.shared.accept('["a",{}]'), await cut.shared.accept('["b",{}]')];
    await cut.save(before, { status: 'done', json: '[1]' });
    proxy.sever();
    await eventually(
      () =>
        expect(cut.shared.pendingCount()).rejects.toMatchObject({
          code: 'store_unavailable',
          message: expect.stringMatching(/: not connected \(reconnecting\)$/),
        }),
      SOON_MS,
    );
    expect(await cut.read(before)).toEqual({ status: 'done', json: '[1]' });
    await cut.save(during, { status: 'error', reason: 'saved while cut off' });
    expect(await cut.read(during)).toEqual({ status: 'error', reason: 'saved while cut off' });
    expect(await witness.shared.statuses([during])).toEqual(['queued']);
    proxy.restore();
    await eventually(async () => expect(await witness.shared.statuses([during])).toEqual(['error']), SOON_MS);
    expect(await witness.read(during)).toEqual({ status: 'error', reason: 'saved while cut off' });
  });

  it('publishes again at once every job it holds when a submission finds that Redis lost them', async () => {
    const prefix = newService();
    // The reaper makes the keyspace: one made by a store with a long lease holds ids back for long.
    const reaper = await bareStore(prefix);
    // Leases of a minute: no heartbeat of these notices the loss, only the refused submission does.
    const longLease = () => bareStore(prefix, redis.url(), 60_000);
    const gone = await longLease();
    const orphan = await gone.shared.accept('["orphan",{}]');
    await closeBare(gone);
    const [store, witness] = [await longLease(), await longLease()];
    await eventually(
      async () => expect(await store.shared.adopt(10)).toEqual([{ id: orphan, spec: '["orphan",{}]' }]),
      SOON_MS,
    );
    await closeBare(reaper);
    // More pending jobs than one script call publishes.
    const pending = await Promise.all(Array.from({ length: 500 }, (_, i) => store.shared.accept(`["pending",${i}]`)));
    const [done, failed] = [await store.shared.accept('["done",{}]'), await store.shared.accept('["failed",{}]')];
    await store.save(done, { status: 'done', json: '[1]' });
    await store.save(failed, { status: 'error', reason: 'broke' });

    await client.flushall();
    await expect(store.shared.accept('["refused",{}]')).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/: it lost its data; the instances are publishing their jobs again$/),
    });
    const queued = [orphan, ...pending];
    await eventually(
      async () =>
        expect(await witness.shared.statuses([...queued, done, failed])).toEqual([
          ...queued.map(() => 'queued'),
          'done',
          'error',
        ]),
      SOON_MS,
    );
    expect(await witness.read(failed)).toEqual({ status: 'error', reason: 'broke' });
    expect(await witness.shared.pendingCount()).toBe(queued.length);
    // New ids wait until every instance has had time to notice the loss.
    await expect(store.shared.accept('["held",{}]')).rejects.toMatchObject({
      message: expect.stringMatching(/being refilled/),
    });
  });

  it('issues, after Redis lost its data, ids above those another instance issued before', async () => {
    const prefix = newService();
    const other = await bareStore(prefix);
    for (let i = 0; i < 3; i++) await other.shared.accept('["elsewhere",{}]');
    const store = await bareStore(prefix);
    await closeBare(other);
    await client.flushall();
    expect(await eventually(() => store.shared.accept('["after",{}]'))).toBe(4);
  });

  it('leaves no connection behind to come back with Redis, when opening failed or it closed while Redis was away', async () => {
    const own = await TestRedis.start(binary as string);
    try {
      const opened = redisStore({ url: own.url(), leaseMs: LEASE_MS });
      await opened.open();
      await own.kill();
      const failed = redisStore({ url: own.url(), leaseMs: LEASE_MS });
      await expect(failed.open()).rejects.toMatchObject({ code: 'store_unavailable' });
      await opened.close();
      await own.resume();
      // Longer than the longest pause between reconnection attempts (300 ms with this lease).
      await sleep(600);
      const watcher = new Redis(own.url());
      const clients = (await watcher.client('LIST')) as string;
      watcher.disconnect();
      expect(clients.trim().split('\n')).toHaveLength(1);
    } finally {
      await own.stop();
    }
  });
});
