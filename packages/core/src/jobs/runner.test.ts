import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LeStatsInputError } from '../errors';
import { formatJobId, type JobId, parseJobId } from './job-id';
import type { JobCounts, JobEvent, JobRunner, JobStatus } from './runner';
import type { ResultStore, StoredOutcome } from './store';
import {
  cleanUp,
  expectedJson,
  fixtureWorker,
  mixedJobs,
  STORES,
  sampleData,
  startRunner,
  submitJob,
  type TestJob,
  UNRANKED_QUESTION,
} from './test-workers/harness';

const idsFrom = (first: number, count: number) => Array.from({ length: count }, (_, i) => formatJobId(first + i));

/** Records 'job' events with the runner's view at that moment, and reads each outcome from the store as its event fires. */
function recordEvents(runner: JobRunner, store: ResultStore) {
  const events: Array<JobEvent & { statusThen?: JobStatus; countsThen: JobCounts }> = [];
  const persisted: Array<Promise<StoredOutcome | undefined>> = [];
  runner.on('job', (event) => {
    events.push({ ...event, statusThen: runner.status(event.id), countsThen: runner.counts() });
    // The store itself is read now (not the runner, which keeps recent outcomes in memory):
    // an event comes after its outcome is persisted.
    persisted.push(store.read(parseJobId(event.id) as number));
  });
  return { events, persisted };
}

afterAll(cleanUp);

describe.each(STORES)('JobRunner with %s', (_name, makeStore) => {
  // Starting workers is the slow part, so the tests of one store share a runner.
  let runner: JobRunner;
  let store: ResultStore;
  // No job is recovered, so the highest id is the number of jobs known.
  const lastId = () => runner.list().length;

  beforeAll(async () => {
    store = (await makeStore()).store;
    runner = startRunner({ store });
    await runner.ready();
  });

  it('numbers thousands of concurrent submissions job_id_1..N in order and answers like the synchronous queries', async () => {
    expect(lastId()).toBe(0);
    const { events, persisted } = recordEvents(runner, store);
    const jobs = mixedJobs(3000, 5);
    const jobOf = (id: string) => jobs[(parseJobId(id) as number) - 1] as TestJob;
    // Every submit is issued before any is awaited.
    const ids = await Promise.all(jobs.map((job) => submitJob(runner, job)));
    expect(ids).toEqual(idsFrom(1, jobs.length));
    // No worker has answered yet: only microtasks ran since the first submit.
    expect(runner.pending()).toBe(jobs.length);

    const outcomes = await Promise.all(ids.map((id) => runner.wait(id)));
    expect(outcomes).toEqual(jobs.map((job) => ({ status: 'done', data: sampleData().query(job.name, job.params) })));

    expect(events).toHaveLength(jobs.length);
    expect(new Set(events.map((event) => event.id))).toEqual(new Set(ids));
    events.forEach((event, i) => {
      const job = jobOf(event.id);
      expect(event).toEqual({
        id: event.id,
        query: job.name,
        status: 'done',
        durationMs: expect.any(Number),
        statusThen: 'done',
        countsThen: { queued: expect.any(Number), running: expect.any(Number), done: i + 1, error: 0 },
      });
      expect(event.countsThen.queued + event.countsThen.running).toBe(jobs.length - i - 1);
      expect(event.durationMs).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(event.durationMs)).toBe(true);
    });
    // Read as each event fired, the stored text is byte for byte what queryJson writes
    // (key order, floats keeping `.0`).
    expect(await Promise.all(persisted)).toEqual(
      events.map((event) => ({ status: 'done', json: expectedJson(jobOf(event.id)) })),
    );

    expect(runner.counts()).toEqual({ queued: 0, running: 0, done: jobs.length, error: 0 });
    expect(runner.pending()).toBe(0);
    expect(runner.list()).toEqual(ids.map((id) => ({ id, status: 'done' })));
  });

  it('refuses bad input at submit with LeStatsInputError and creates no job: ids continue without a gap', async () => {
    const before = runner.counts();
    const first = lastId() + 1;
    const [good1, good2, good3, good4] = mixedJobs(4, 9);
    const question = (good1 as TestJob).params.question;
    const bad: Array<[name: string, params: unknown, code: string]> = [
      ['states_mean', { question: 'How many unicorns?' }, 'unknown_question'],
      ['states_mean', {}, 'invalid_params'],
      ['global_mean', { question: 42 }, 'invalid_params'],
      ['best5', null, 'invalid_params'],
      ['worst5', 'question', 'invalid_params'],
      ['state_mean', { question }, 'invalid_params'],
      ['state_diff_from_mean', { question, state: ['Utah'] }, 'invalid_params'],
      ['state_mean_by_category', { question, state: 'Atlantis' }, 'unknown_state'],
      ['best5', { question: UNRANKED_QUESTION }, 'no_ranking'],
      ['worst5', { question: UNRANKED_QUESTION }, 'no_ranking'],
      ['median', { question }, 'unknown_query'],
      ['__proto__', { question }, 'unknown_query'],
    ];
    const refuse = ([name, params]: (typeof bad)[number]) =>
      (runner.submit as (name: string, params: unknown) => Promise<JobId>)(name, params);

    const accepted = [good1, good2, good3, good4].map((job) => submitJob(runner, job as TestJob));
    const refused = bad.map(refuse);
    const more = submitJob(runner, good1 as TestJob);
    const errors = await Promise.all(
      refused.map((submission) =>
        submission.then(
          () => undefined,
          (error: unknown) => error,
        ),
      ),
    );
    errors.forEach((error, i) => {
      expect(error).toBeInstanceOf(LeStatsInputError);
      expect(error).toMatchObject({ name: 'LeStatsInputError', code: (bad[i] as (typeof bad)[number])[2] });
      expect((error as Error).message).not.toBe('');
    });
    expect(await Promise.all([...accepted, more])).toEqual(idsFrom(first, 5));
    expect(await submitJob(runner, good2 as TestJob)).toBe(formatJobId(first + 5));
    expect(runner.list().map((entry) => entry.id)).toEqual(idsFrom(1, first + 5));
    await Promise.all(idsFrom(first, 6).map((id) => runner.wait(id)));
    expect(runner.counts()).toEqual({ ...before, done: before.done + 6 });
  });

  it('moves a job from queued to running to done, and settles with a timeout', async () => {
    // One slow worker takes two batches at a time, so a third job has to wait. Jobs leave
    // for a worker once per turn of the event loop: one turn apart, each is a batch.
    const runner = startRunner({ store: (await makeStore()).store, threads: 1, workerFile: fixtureWorker('slow') });
    const [a, b, c] = mixedJobs(3, 13);
    const nextTurn = () => new Promise((resolve) => setImmediate(resolve));
    const durations: number[] = [];
    runner.on('job', (event) => durations.push(event.durationMs));
    const submitting = performance.now();
    const first = await submitJob(runner, a as TestJob);
    expect(runner.status(first)).toBe('queued');
    await nextTurn();
    const second = await submitJob(runner, b as TestJob);
    await nextTurn();
    const third = await submitJob(runner, c as TestJob);
    await nextTurn();
    expect([runner.status(first), runner.status(second), runner.status(third)]).toEqual([
      'running',
      'running',
      'queued',
    ]);
    expect(runner.counts()).toEqual({ queued: 1, running: 2, done: 0, error: 0 });
    expect(runner.pending()).toBe(3);
    expect(await runner.outcome(third)).toBeUndefined();

    expect(await runner.settled(third, 30)).toBe(false);
    expect(runner.status(third)).not.toBe('done');
    const client = new AbortController();
    const abandoned = runner.settled(third, Number.POSITIVE_INFINITY, client.signal);
    client.abort();
    expect(await abandoned).toBe(false);
    expect(await runner.settled(first)).toBe(true);
    expect(runner.status(first)).toBe('done');
    expect(await runner.wait(third)).toEqual({
      status: 'done',
      data: sampleData().query((c as TestJob).name, (c as TestJob).params),
    });
    expect(await runner.settled(third, 0)).toBe(true);
    expect(runner.list()).toEqual([first, second, third].map((id) => ({ id, status: 'done' })));
    expect(runner.pending()).toBe(0);
    // Each job took from its submission to its end: most of a slow batch (150 ms) at least,
    // and no more than the test has waited.
    const waited = performance.now() - submitting;
    expect(durations).toHaveLength(3);
    for (const duration of durations) {
      expect(duration).toBeGreaterThan(100);
      expect(duration).toBeLessThanOrEqual(waited);
    }
  });

  it('sends the jobs of one turn as one batch per thread, but one batch only under 16 jobs a thread', async () => {
    const runner = startRunner({ store: (await makeStore()).store, threads: 2, workerFile: fixtureWorker('batches') });
    const batchesOf = async (count: number) => {
      const ids = await Promise.all(mixedJobs(count, 17).map((job) => submitJob(runner, job)));
      const outcomes = await Promise.all(ids.map((id) => runner.wait(id)));
      const batches = new Set(outcomes.map((outcome) => JSON.stringify(outcome.status === 'done' && outcome.data)));
      return [...batches].map((batch) => JSON.parse(batch) as { batch: number; thread: number });
    };
    expect(await batchesOf(31)).toEqual([{ batch: 31, thread: expect.any(Number) }]);
    expect((await batchesOf(40)).map(({ batch }) => batch)).toEqual([20, 20]);
    expect((await batchesOf(100)).map(({ batch }) => batch)).toEqual([50, 50]);
  });

  it('answers the outcomes of the last jobs to end from memory, older ones from the store', async () => {
    const reads: number[] = [];
    const own = (await makeStore()).store;
    const counting: ResultStore = {
      ...own,
      read: (n) => {
        reads.push(n);
        return own.read(n);
      },
    };
    const recent = startRunner({ store: counting, threads: 1 });
    const jobs = mixedJobs(300, 23);
    const ids = await Promise.all(jobs.map((job) => submitJob(recent, job)));
    await Promise.all(ids.map((id) => recent.settled(id)));
    const latest = ids.at(-1) as JobId;
    expect(await recent.outcome(latest)).toEqual({ status: 'done', json: expectedJson(jobs.at(-1) as TestJob) });
    // 300 jobs ended and 256 are remembered: the oldest of those still from memory,
    expect(await recent.outcome(ids[44] as JobId)).toEqual({ status: 'done', json: expectedJson(jobs[44] as TestJob) });
    expect(reads).toEqual([]);
    // the one before it, and the first, from the store, unchanged.
    expect(await recent.outcome(ids[43] as JobId)).toEqual({ status: 'done', json: expectedJson(jobs[43] as TestJob) });
    expect(await recent.outcome(ids[0] as JobId)).toEqual({ status: 'done', json: expectedJson(jobs[0] as TestJob) });
    expect(reads).toEqual([parseJobId(ids[43] as JobId), parseJobId(ids[0] as JobId)]);
  });

  it('answers unknown and malformed ids without inventing jobs', async () => {
    const id = await submitJob(runner, mixedJobs(1, 17)[0] as TestJob);
    await runner.wait(id);
    const known = runner.list();
    const never = formatJobId(lastId() + 1);
    for (const unknown of [never, 'job_id_0', 'job_id_01', '../job_id_1', `${id}.json`, 'nonsense', '']) {
      expect(runner.status(unknown)).toBeUndefined();
      expect(await runner.settled(unknown, 1000)).toBe(false);
      expect(await runner.outcome(unknown)).toBeUndefined();
      await expect(runner.wait(unknown as JobId)).rejects.toMatchObject({
        name: 'LeStatsInputError',
        code: 'unknown_job',
      });
    }
    expect(runner.list()).toEqual(known);
    expect(await submitJob(runner, mixedJobs(1, 17)[0] as TestJob)).toBe(never);
  });
});
