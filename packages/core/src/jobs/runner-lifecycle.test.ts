import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { LeStatsRunnerError } from '../errors';
import { formatJobId, type JobId } from './job-id';
import { memoryStore } from './memory-store';
import { JobRunner } from './runner';
import type { JobStatus, ResultStore, SharedJobs } from './store';
import {
  cleanUp,
  expectedJson,
  fixtureWorker,
  folderContents,
  lateOpeningStore,
  mixedJobs,
  STORES,
  sampleData,
  startRunner,
  submitJob,
  type TestJob,
} from './test-workers/harness';

afterEach(cleanUp);

describe('JobRunner options', () => {
  it.each([0, -1, 2.5, Number.NaN])('refuses maxQueue %s', (maxQueue) => {
    expect(() => new JobRunner({ data: sampleData(), maxQueue })).toThrow(/maxQueue must be a whole number >= 1/);
  });

  it('shows a value of the wrong type as it is', () => {
    const threads = '2' as unknown as number;
    expect(() => new JobRunner({ data: sampleData(), threads })).toThrow('got "2"');
    const maxQueue = '5' as unknown as number;
    expect(() => new JobRunner({ data: sampleData(), maxQueue })).toThrow('got "5"');
  });

  it.each([0, -3, 1.5])('refuses threads %s', (threads) => {
    expect(() => new JobRunner({ data: sampleData(), threads })).toThrow(
      /threads must be a whole number from 1 to 1024/,
    );
  });
});

describe('JobRunner ids', () => {
  it('refuses a submission with ids_exhausted past the last id exact in a number, and never repeats one', async () => {
    const recovered = memoryStore();
    const store = { ...recovered, open: async () => ({ lastId: Number.MAX_SAFE_INTEGER - 1, finished: [] }) };
    const runner = startRunner({ store });
    const job = mixedJobs(1, 5)[0] as TestJob;
    const last = await submitJob(runner, job);
    expect(last).toBe(`job_id_${Number.MAX_SAFE_INTEGER}`);
    for (let i = 0; i < 2; i++) {
      await expect(submitJob(runner, job)).rejects.toThrow(
        expect.objectContaining({ name: 'LeStatsRunnerError', code: 'ids_exhausted' }),
      );
    }
    expect(await runner.wait(last)).toEqual({ status: 'done', data: sampleData().query(job.name, job.params) });
    expect(runner.list()).toEqual([{ id: last, status: 'done' }]);
    await runner.shutdown();
  });
});

describe.each(STORES)('JobRunner with %s: backpressure and shutdown', (_name, makeStore) => {
  it('refuses submissions beyond maxQueue with queue_full, and runs every job it accepted', async () => {
    const maxQueue = 10;
    // One slow worker: jobs leave the queue far slower than they arrive.
    const runner = startRunner({
      store: (await makeStore()).store,
      threads: 1,
      maxQueue,
      workerFile: fixtureWorker('slow'),
    });
    let mostQueued = 0;
    runner.on('job', () => {
      mostQueued = Math.max(mostQueued, runner.counts().queued);
    });
    const jobs = mixedJobs(150, 31);
    const accepted: Array<[JobId, TestJob]> = [];
    const refusals: unknown[] = [];
    for (let wave = 0; wave < 5; wave++) {
      const slice = jobs.slice(wave * 30, wave * 30 + 30);
      const results = await Promise.allSettled(slice.map((job) => submitJob(runner, job)));
      results.forEach((result, i) => {
        if (result.status === 'fulfilled') accepted.push([result.value, slice[i] as TestJob]);
        else refusals.push(result.reason);
      });
      mostQueued = Math.max(mostQueued, runner.counts().queued);
      if (wave === 2) await runner.settled((accepted.at(-1) as [JobId, TestJob])[0]);
    }

    expect(refusals.length).toBeGreaterThan(0);
    for (const error of refusals) {
      expect(error).toBeInstanceOf(LeStatsRunnerError);
      expect(error).toMatchObject({
        name: 'LeStatsRunnerError',
        code: 'queue_full',
        message: 'queue full: 10 jobs are already waiting',
      });
    }
    expect(accepted.length).toBeGreaterThanOrEqual(maxQueue);
    expect(accepted.length + refusals.length).toBe(jobs.length);
    expect(mostQueued).toBeLessThanOrEqual(maxQueue);
    // A refused submission takes no id: the accepted ones are numbered without gaps.
    expect(accepted.map(([id]) => id)).toEqual(accepted.map((_, i) => formatJobId(i + 1)));

    const outcomes = await Promise.all(accepted.map(([id]) => runner.wait(id)));
    expect(outcomes).toEqual(
      accepted.map(([, job]) => ({ status: 'done', data: sampleData().query(job.name, job.params) })),
    );
    expect(runner.counts()).toEqual({ queued: 0, running: 0, done: accepted.length, error: 0 });

    // Once drained, the queue has room again.
    const again = await Promise.all(jobs.slice(0, maxQueue).map((job) => submitJob(runner, job)));
    expect(again).toEqual(again.map((_, i) => formatJobId(accepted.length + i + 1)));
  });

  it('drains 500 accepted jobs on shutdown, persisting each, then refuses new ones; shutdown is idempotent', async () => {
    const { store, dir } = await makeStore();
    const runner = startRunner({ store });
    let finished = 0;
    runner.on('job', () => finished++);
    const jobs = mixedJobs(550, 37);
    const ids = await Promise.all(jobs.slice(0, 500).map((job) => submitJob(runner, job)));
    // No worker has answered yet: only microtasks ran since the first submit.
    expect(runner.pending()).toBe(500);
    // Submissions called before shutdown() but not yet settled when it begins: all accepted and run.
    const racing = jobs.slice(500).map((job) => submitJob(runner, job));

    const closing = runner.shutdown();
    // What the runner had done at the very moment shutdown resolved.
    const atClose = closing.then(() => ({ finished, counts: runner.counts() }));
    expect(runner.shutdown()).toBe(closing);
    expect(runner.accepting).toBe(false);
    await expect(submitJob(runner, jobs[0] as TestJob)).rejects.toMatchObject({
      name: 'LeStatsRunnerError',
      code: 'shutting_down',
    });

    const late = (await Promise.all(racing)).map((id, i): [JobId, TestJob] => [id, jobs[500 + i] as TestJob]);
    const { finished: finishedAtClose, counts } = await atClose;
    expect(late.map(([id]) => id)).toEqual(jobs.slice(500).map((_, i) => formatJobId(501 + i)));
    const all: Array<[JobId, TestJob]> = [...ids.map((id, i): [JobId, TestJob] => [id, jobs[i] as TestJob]), ...late];

    expect(counts).toEqual({ queued: 0, running: 0, done: all.length, error: 0 });
    expect(finishedAtClose).toBe(all.length);
    expect(runner.pending()).toBe(0);
    const stored = await Promise.all(all.map(([id]) => runner.outcome(id)));
    expect(stored).toEqual(all.map(([, job]) => ({ status: 'done', json: expectedJson(job) })));
    if (dir !== undefined) {
      expect(await folderContents(dir)).toEqual(all.map(([id]) => `${id}.json`));
      expect(await readFile(join(dir, `${ids[499]}.json`), 'utf8')).toBe(expectedJson(jobs[499] as TestJob));
    }

    await expect(submitJob(runner, jobs[0] as TestJob)).rejects.toThrow('shutting down: no new jobs are accepted');
    expect(runner.shutdown()).toBe(closing);
    await expect(runner.shutdown()).resolves.toBeUndefined();
  });

  it('drains without closing the store, which shutdown() then closes', async () => {
    const { store } = await makeStore();
    let closed = 0;
    const close = store.close.bind(store);
    store.close = () => {
      closed++;
      return close();
    };
    const runner = startRunner({ store });
    const jobs = mixedJobs(20, 41);
    const ids = await Promise.all(jobs.map((job) => submitJob(runner, job)));

    const draining = runner.drain();
    expect(runner.drain()).toBe(draining);
    expect(runner.accepting).toBe(false);
    await expect(submitJob(runner, jobs[0] as TestJob)).rejects.toMatchObject({ code: 'shutting_down' });
    await draining;
    expect(runner.pending()).toBe(0);
    expect(closed).toBe(0);
    // Still readable: the outcomes come from the open store.
    expect(await Promise.all(ids.map((id) => runner.wait(id)))).toEqual(
      jobs.map((job) => ({ status: 'done', data: JSON.parse(expectedJson(job)) })),
    );

    await runner.shutdown();
    await runner.shutdown();
    expect(closed).toBe(1);
  });
});

/**
 * A memory store shared with no other instance, whose counter issues an id only once
 * `issues()` is called: a submission then waits for its id after the store has opened.
 */
function lateIssuingStore(): { store: ResultStore; issues: () => void } {
  const statuses = new Map<number, JobStatus>();
  let issues!: () => void;
  const issued = new Promise<void>((resolve) => {
    issues = resolve;
  });
  const shared: SharedJobs = {
    async accept() {
      await issued;
      const id = statuses.size + 1;
      statuses.set(id, 'queued');
      return id;
    },
    started: (ids) => {
      for (const id of ids) statuses.set(id, 'running');
    },
    statuses: async (ids) => ids.map((id) => statuses.get(id)),
    list: async () => [...statuses],
    pendingCount: async () => 0,
    adopt: async () => [],
    onOrphans: () => {},
  };
  return { store: { ...memoryStore(), shared }, issues };
}

describe('JobRunner drain', () => {
  it('announces the drain once, and waits for submissions whose id the store has not issued yet', async () => {
    const { store, opens } = lateOpeningStore();
    const runner = startRunner({ store });
    const seen: Array<{ accepting: boolean; drain: Promise<void> }> = [];
    const draining = vi.fn(() => seen.push({ accepting: runner.accepting, drain: runner.drain() }));
    runner.on('draining', draining);
    const jobs = mixedJobs(3, 43);
    const ids = Promise.all(jobs.map((job) => submitJob(runner, job)));
    expect(runner.pending()).toBe(0);
    expect(runner.outstanding()).toBe(3);

    const closing = runner.shutdown();
    expect(draining).toHaveBeenCalledTimes(1);
    // The listener runs once the drain is under way, and gets the same promise back.
    expect(seen).toEqual([{ accepting: false, drain: runner.drain() }]);
    let drained = false;
    void runner.drain().then(() => {
      drained = true;
    });
    await sleep(50);
    expect(drained).toBe(false);

    opens();
    await closing;
    expect(drained).toBe(true);
    expect(runner.outstanding()).toBe(0);
    expect(await ids).toEqual([1, 2, 3].map((n) => formatJobId(n)));
    expect(runner.counts()).toEqual({ queued: 0, running: 0, done: 3, error: 0 });
    expect(draining).toHaveBeenCalledTimes(1);
  });

  it('waits for a submission the shared store has not issued an id to yet, and runs it', async () => {
    const { store, issues } = lateIssuingStore();
    const runner = startRunner({ store });
    await runner.ready();
    const [job] = mixedJobs(1, 44) as [TestJob];
    const id = submitJob(runner, job);
    expect(runner.pending()).toBe(0);
    expect(runner.outstanding()).toBe(1);

    let drained = false;
    const closing = runner.shutdown().then(() => {
      drained = true;
    });
    await sleep(50);
    expect(drained).toBe(false);

    issues();
    await closing;
    expect(await id).toBe('job_id_1');
    expect(await runner.outcome('job_id_1')).toEqual({ status: 'done', json: expectedJson(job) });
  });
});
