import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResourceLimits } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { QUERY_NAMES } from '../queries/table';
import { fileStore } from './file-store';
import { memoryStore } from './memory-store';
import type { JobEvent, JobOutcome } from './runner';
import type { ResultStore } from './store';
import {
  cleanUp,
  FINISHED_FILE,
  fixtureWorker,
  folderContents,
  mixedJobs,
  runJobs,
  sampleData,
  startRunner,
  submitJob,
  type TestJob,
  tempDir,
} from './test-workers/harness';

afterEach(cleanUp);

// The fault workers fail every batch that holds a global_mean job (see test-workers/faulty.mjs).
const GOOD_QUERIES = QUERY_NAMES.filter((name) => name !== 'global_mean');
const done = (job: TestJob): JobOutcome => ({ status: 'done', data: sampleData().query(job.name, job.params) });

const FAULTS: Array<
  [fault: string, worker: 'throws' | 'exits' | 'out-of-memory', reason: string, limits?: ResourceLimits]
> = [
  ['throws', 'throws', 'worker failed: poisoned batch'],
  ['calls process.exit mid-task', 'exits', 'worker failed: worker exited while running the task'],
  [
    'runs out of memory',
    'out-of-memory',
    'worker failed: Worker terminated due to reaching memory limit: JS heap out of memory',
    { maxOldGenerationSizeMb: 16 },
  ],
];

describe('JobRunner with workers that really fail', () => {
  it.each(FAULTS)(
    'a worker that %s fails its own jobs with a reason; the runner recovers',
    async (_fault, worker, reason, limits) => {
      const dir = join(await tempDir(), 'results');
      const runner = startRunner({ store: fileStore(dir), workerFile: fixtureWorker(worker), resourceLimits: limits });
      const events: JobEvent[] = [];
      runner.on('job', (event) => events.push(event));
      const good = mixedJobs(60, 51, GOOD_QUERIES);
      const poison = mixedJobs(3, 52, ['global_mean']);

      const before = await runJobs(runner, good.slice(0, 20));
      expect(before.outcomes).toEqual(good.slice(0, 20).map(done));

      // Alone, a poison job is its own batch: only it fails.
      const failed = await submitJob(runner, poison[0] as TestJob);
      expect(await runner.wait(failed)).toEqual({ status: 'error', reason });
      expect(runner.status(failed)).toBe('error');
      expect(events.at(-1)).toEqual({
        id: failed,
        query: 'global_mean',
        status: 'error',
        reason,
        durationMs: expect.any(Number),
      });
      expect(JSON.parse(await readFile(join(dir, `${failed}.error.json`), 'utf8'))).toEqual({ reason });

      // In a burst, poison jobs fail with whatever shared their batch; everything settles.
      const burst = [...good.slice(20, 40), ...poison.slice(1), ...good.slice(40, 50)];
      const mixed = await runJobs(runner, burst);
      mixed.outcomes.forEach((outcome, i) => {
        const job = burst[i] as TestJob;
        if (job.name === 'global_mean') expect(outcome).toEqual({ status: 'error', reason });
        else expect([done(job), { status: 'error', reason }]).toContainEqual(outcome);
      });

      // The pool has recovered: later jobs succeed.
      const after = await runJobs(runner, good.slice(50));
      expect(after.outcomes).toEqual(good.slice(50).map(done));

      const counts = runner.counts();
      expect(counts.queued + counts.running).toBe(0);
      expect(runner.list().filter((job) => job.status !== 'done' && job.status !== 'error')).toEqual([]);
      expect(counts.error).toBeGreaterThanOrEqual(poison.length);
      expect(counts.done + counts.error).toBe(20 + 1 + burst.length + 10);
      expect(events).toHaveLength(counts.done + counts.error);

      await runner.shutdown();
      const files = await folderContents(dir);
      expect(files.every((name) => FINISHED_FILE.test(name))).toBe(true);
      expect(files.filter((name) => name.endsWith('.error.json'))).toHaveLength(counts.error);
    },
  );

  it('fails every job, never hangs, when no worker can even start', async () => {
    const runner = startRunner({ workerFile: fixtureWorker('broken') });
    const jobs = mixedJobs(12, 61);
    const first = await runJobs(runner, jobs.slice(0, 6));
    const second = await runJobs(runner, jobs.slice(6));
    for (const outcome of [...first.outcomes, ...second.outcomes]) {
      expect(outcome).toEqual({ status: 'error', reason: 'worker failed: cannot load this worker' });
    }
    expect(runner.counts()).toEqual({ queued: 0, running: 0, done: 0, error: jobs.length });
    await runner.shutdown();
  });

  it('ends a job as error when its outcome cannot be persisted, and still reports why', async () => {
    const inner = memoryStore();
    let refuse: 'results' | 'everything' = 'results';
    const store: ResultStore = {
      ...inner,
      async save(id, outcome) {
        if (refuse === 'everything' || outcome.status === 'done') throw new Error('disk full');
        return inner.save(id, outcome);
      },
    };
    const runner = startRunner({ store });
    const events: JobEvent[] = [];
    runner.on('job', (event) => events.push(event));
    const [first, second] = mixedJobs(2, 71);
    const reason = 'could not persist the outcome: disk full';

    // The result cannot be saved, the failure can: the store keeps the error.
    const a = await submitJob(runner, first as TestJob);
    expect(await runner.wait(a)).toEqual({ status: 'error', reason });
    expect(await inner.read(1)).toEqual({ status: 'error', reason });

    // Nothing can be saved: the runner still knows how the job ended.
    refuse = 'everything';
    const b = await submitJob(runner, second as TestJob);
    expect(await runner.wait(b)).toEqual({ status: 'error', reason });
    expect(await runner.outcome(b)).toEqual({ status: 'error', reason });
    expect(await inner.read(2)).toBeUndefined();

    expect(events.map((event) => [event.id, event.status, event.reason])).toEqual([
      [a, 'error', reason],
      [b, 'error', reason],
    ]);
    expect(runner.counts()).toEqual({ queued: 0, running: 0, done: 0, error: 2 });
    await runner.shutdown();
  });

  it('surfaces a store that cannot open through ready() and submit(), and still shuts down', async () => {
    const blocker = join(await tempDir(), 'a-file');
    await writeFile(blocker, 'not a folder');
    const runner = startRunner({ store: fileStore(join(blocker, 'results')) });
    const unavailable = {
      code: 'store_unavailable',
      message: expect.stringMatching(/results folder .*: (ENOTDIR|EEXIST)/),
    };
    await expect(runner.ready()).rejects.toMatchObject(unavailable);
    await expect(submitJob(runner, mixedJobs(1, 73)[0] as TestJob)).rejects.toMatchObject(unavailable);
    expect(runner.list()).toEqual([]);
    await expect(runner.shutdown()).resolves.toBeUndefined();
  });
});
