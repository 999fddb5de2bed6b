import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterEach, describe, expect, it } from 'vitest';
import { QUERY_NAMES } from '../queries/table';
import { fileStore } from './file-store';
import { formatJobId } from './job-id';
import type { ResultStore } from './store';
import {
  cleanUp,
  expectedJson,
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

interface FolderSnapshot {
  files: Array<[name: string, text: string]>;
  otherNames: string[];
  roundsWithNewFiles: number;
}

/** Starts test-workers/folder-watcher.mjs on `dir`; `stop()` resolves with what it saw. */
function watchFolder(dir: string) {
  const stop = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(new URL('./test-workers/folder-watcher.mjs', import.meta.url), {
    workerData: { dir, stop },
  });
  const report = new Promise<FolderSnapshot>((resolve, reject) => {
    worker.once('message', resolve);
    worker.once('error', reject);
  });
  return {
    stop: async () => {
      Atomics.store(stop, 0, 1);
      Atomics.notify(stop, 0);
      const snapshot = await report;
      await worker.terminate();
      return snapshot;
    },
  };
}

describe('JobRunner with fileStore: the results folder', () => {
  it('never shows a partial file under a final name while thousands of jobs run, and ends with final files only', async () => {
    const dir = join(await tempDir(), 'results');
    const runner = startRunner({ store: fileStore(dir) });
    await runner.ready();
    // The queries with the largest results, so that a file is written in more than a blink.
    const jobs = mixedJobs(2500, 21, ['mean_by_category', 'state_mean_by_category', 'diff_from_mean', 'states_mean']);
    const expected = jobs.map(expectedJson);
    const ids = await Promise.all(jobs.map((job) => submitJob(runner, job)));

    const watcher = watchFolder(dir);
    await Promise.all(ids.map((id) => runner.settled(id)));
    const seen = await watcher.stop();

    // Every file seen under a final name was complete the moment it was listed.
    expect(seen.files.length).toBe(jobs.length);
    const wrong = seen.files
      .filter(([name, text]) => text !== expected[Number(FINISHED_FILE.exec(name)?.[1]) - 1])
      .map(([name, text]) => `${name} (${text.length} bytes)`);
    expect(wrong).toEqual([]);
    // Besides temporary files, only the record of the ids handed out, gone once no job is in flight.
    for (const name of seen.otherNames) expect(name).toMatch(/^\.job_id_[1-9]\d*\.\d+\.tmp$|^\.issued_job_ids$/);
    // The folder was really watched while it filled up, not only once it was full.
    expect(seen.roundsWithNewFiles).toBeGreaterThan(2);

    await runner.shutdown();
    const names = await folderContents(dir);
    expect(names).toEqual(ids.map((id) => `${id}.json`));
    const texts = await Promise.all(names.map((name) => readFile(join(dir, name), 'utf8')));
    expect(texts).toEqual(expected);
  });

  it('recovers the folder after a restart: outcomes readable, ids continue after the highest, leftovers cleaned', async () => {
    const dir = join(await tempDir(), 'results');
    // The first runner's worker fails every batch holding a global_mean job: one job ends as an error.
    const first = startRunner({ store: fileStore(dir), workerFile: fixtureWorker('throws') });
    const good = mixedJobs(
      50,
      23,
      QUERY_NAMES.filter((name) => name !== 'global_mean'),
    );
    const poison = mixedJobs(1, 24, ['global_mean'])[0] as TestJob;
    await runJobs(first, good.slice(0, 40));
    const failed = await submitJob(first, poison);
    expect(await first.wait(failed)).toEqual({ status: 'error', reason: 'worker failed: poisoned batch' });
    await runJobs(first, good.slice(40));
    await first.shutdown();
    expect(failed).toBe('job_id_41');

    // What a crash leaves behind, a file from elsewhere, and a stray high id.
    await writeFile(join(dir, '.job_id_52.777.tmp'), '{"trunc');
    await writeFile(join(dir, 'notes.txt'), 'not a job');
    await writeFile(join(dir, 'job_id_75.json'), '{"global_mean":1.5}');

    const second = startRunner({ store: fileStore(dir) });
    // Submitted while the folder is still being recovered: the ids continue after the highest.
    const early = [submitJob(second, poison), submitJob(second, good[0] as TestJob)];
    await second.ready();
    const oldIds = [...Array.from({ length: 51 }, (_, i) => formatJobId(i + 1)), formatJobId(75)];
    expect(second.list().slice(0, oldIds.length)).toEqual(
      oldIds.map((id) => ({ id, status: id === failed ? 'error' : 'done' })),
    );
    expect(second.status('job_id_52')).toBeUndefined();
    expect(await folderContents(dir)).not.toContain('.job_id_52.777.tmp');

    const oldJobs = [...good.slice(0, 40), poison, ...good.slice(40)];
    for (const [i, job] of oldJobs.entries()) {
      const id = formatJobId(i + 1);
      expect(await second.settled(id, 0)).toBe(true);
      if (id === failed) {
        expect(await second.wait(id)).toEqual({ status: 'error', reason: 'worker failed: poisoned batch' });
      } else {
        expect(await second.outcome(id)).toEqual({ status: 'done', json: expectedJson(job) });
        expect(await second.wait(id)).toEqual({ status: 'done', data: sampleData().query(job.name, job.params) });
      }
    }
    expect(await second.wait('job_id_75')).toEqual({ status: 'done', data: { global_mean: 1.5 } });

    expect(await Promise.all(early)).toEqual(['job_id_76', 'job_id_77']);
    expect(await second.wait('job_id_76')).toEqual({
      status: 'done',
      data: sampleData().query(poison.name, poison.params),
    });
    await second.settled('job_id_77');
    expect(second.counts()).toEqual({ queued: 0, running: 0, done: 53, error: 1 });
    await second.shutdown();
    expect(await folderContents(dir)).toEqual([
      ...oldIds.map((id) => (id === failed ? `${id}.error.json` : `${id}.json`)),
      'job_id_76.json',
      'job_id_77.json',
      'notes.txt',
    ]);
    expect(await readFile(join(dir, `${failed}.error.json`), 'utf8')).toBe(
      '{"reason":"worker failed: poisoned batch"}',
    );
  });

  it('answers a wait or a listing made before the folder is open with the recovered jobs', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'job_id_3.json'), '{"a":1}');
    await writeFile(join(dir, 'job_id_4.error.json'), '{"reason":"boom"}');
    const runner = startRunner({ store: fileStore(dir) });
    const answers = await Promise.all([
      runner.wait('job_id_3'),
      runner.settled('job_id_4', 0),
      runner.outcome('job_id_4'),
      runner.lookup('job_id_3'),
      runner.jobs(),
    ]);
    expect(answers).toEqual([
      { status: 'done', data: { a: 1 } },
      true,
      { status: 'error', reason: 'boom' },
      'done',
      [
        { id: 'job_id_3', status: 'done' },
        { id: 'job_id_4', status: 'error' },
      ],
    ]);
  });

  it('lists a recovered job whose file is damaged or gone as an error once it has been read', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'job_id_1.json'), '{"a":1}');
    await writeFile(join(dir, 'job_id_2.json'), '{broken');
    await writeFile(join(dir, 'job_id_3.json'), '{"a":3}');
    const runner = startRunner({ store: fileStore(dir) });
    await runner.ready();
    await rm(join(dir, 'job_id_3.json'));
    expect(runner.counts()).toMatchObject({ done: 3, error: 0 });
    expect(await runner.wait('job_id_2')).toEqual({
      status: 'error',
      reason: 'damaged file job_id_2.json: not valid JSON',
    });
    expect(await runner.wait('job_id_3')).toEqual({ status: 'error', reason: 'result missing from the store' });
    expect(await runner.wait('job_id_1')).toEqual({ status: 'done', data: { a: 1 } });
    expect(runner.list()).toEqual([
      { id: 'job_id_1', status: 'done' },
      { id: 'job_id_2', status: 'error' },
      { id: 'job_id_3', status: 'error' },
    ]);
    // Read again, it stays one error: counted once.
    await runner.outcome('job_id_2');
    expect(runner.counts()).toMatchObject({ done: 1, error: 2 });
  });

  it('has the workers write the result files: the main thread saves only outcomes no worker wrote', async () => {
    const dir = join(await tempDir(), 'results');
    const own = fileStore(dir);
    const savedHere: number[] = [];
    const store: ResultStore = {
      ...own,
      save: (id, outcome) => {
        savedHere.push(id);
        return own.save(id, outcome);
      },
    };
    // The worker fails every batch holding a global_mean job, before it could write anything.
    const runner = startRunner({ store, workerFile: fixtureWorker('throws') });
    const good = mixedJobs(60, 31, ['states_mean', 'best5', 'mean_by_category']);
    const { ids, outcomes } = await runJobs(runner, good);
    expect(outcomes.every((outcome) => outcome.status === 'done')).toBe(true);
    const failed = await submitJob(runner, mixedJobs(1, 32, ['global_mean'])[0] as TestJob);
    await runner.settled(failed);
    await runner.shutdown();

    expect(savedHere).toEqual([ids.length + 1]);
    expect(await folderContents(dir)).toEqual([...ids.map((id) => `${id}.json`), `${failed}.error.json`]);
    for (const [i, id] of ids.entries()) {
      expect(await readFile(join(dir, `${id}.json`), 'utf8')).toBe(expectedJson(good[i] as TestJob));
    }
  });

  it('ends a job as error when its worker cannot write the file, and keeps the reason when nothing can be saved', async () => {
    const dir = join(await tempDir(), 'results');
    const runner = startRunner({ store: fileStore(dir), workerFile: fixtureWorker('slow') });
    await runner.ready();
    const job = mixedJobs(1, 33)[0] as TestJob;
    const id = await submitJob(runner, job);
    // Gone while the slow worker still holds the job.
    await rm(dir, { recursive: true });
    const outcome = await runner.wait(id);
    expect(outcome).toEqual({
      status: 'error',
      reason: expect.stringMatching(/^could not persist the outcome: ENOENT/),
    });
    expect(await runner.outcome(id)).toEqual(outcome);
    expect(runner.counts()).toMatchObject({ done: 0, error: 1 });
    await runner.shutdown();
  });

  it('refuses a submission it cannot record the id of, queues nothing, and takes the next one once it can', async () => {
    const dir = join(await tempDir(), 'results');
    const runner = startRunner({ store: fileStore(dir) });
    await runner.ready();
    await rm(dir, { recursive: true });
    const job = mixedJobs(1, 36)[0] as TestJob;
    await expect(submitJob(runner, job)).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(/^store unavailable: cannot record the job ids handed out: ENOENT/),
    });
    expect(runner.list()).toEqual([]);
    expect(runner.counts()).toEqual({ queued: 0, running: 0, done: 0, error: 0 });
    await mkdir(dir);
    // The refused submission's id was never handed out: the next one gets it.
    const { ids, outcomes } = await runJobs(runner, [job]);
    expect(ids).toEqual(['job_id_1']);
    expect(outcomes).toEqual([{ status: 'done', data: sampleData().query(job.name, job.params) }]);
  });

  it('never hands out again an id a run that stopped without shutting down may have handed out', async () => {
    const dir = join(await tempDir(), 'results');
    // Jobs still queued on its slow worker when the next run opens the folder: as after a crash.
    const crashed = startRunner({ store: fileStore(dir), threads: 1, workerFile: fixtureWorker('slow') });
    const lost = await Promise.all(mixedJobs(5, 37).map((job) => submitJob(crashed, job)));
    expect(lost).toEqual(['job_id_1', 'job_id_2', 'job_id_3', 'job_id_4', 'job_id_5']);
    expect(await folderContents(dir)).toEqual(['.issued_job_ids']);

    const next = startRunner({ store: fileStore(dir) });
    const [id] = (await runJobs(next, mixedJobs(1, 38))).ids;
    expect(Number(id?.slice('job_id_'.length))).toBeGreaterThan(5);
    expect(next.status('job_id_3')).toBeUndefined();
  });

  it('keeps a record of the ids handed out while jobs run, gone by the time the last one is seen to end', async () => {
    const dir = join(await tempDir(), 'results');
    const runner = startRunner({ store: fileStore(dir), threads: 1, workerFile: fixtureWorker('slow') });
    const record = () => readFile(join(dir, '.issued_job_ids'), 'utf8').catch(() => undefined);
    const first = await submitJob(runner, mixedJobs(1, 39)[0] as TestJob);
    // The slow worker holds every batch for 150 ms.
    expect(await record()).toBe(`${' '.repeat(12)}1025\n`);
    await runner.settled(first);
    expect(await record()).toBeUndefined();
    const ids = await Promise.all(mixedJobs(3, 40).map((job) => submitJob(runner, job)));
    expect(await record()).toBe(`${' '.repeat(12)}1026\n`);
    await runner.settled(ids[2] as string);
    expect(await folderContents(dir)).toEqual([first, ...ids].map((id) => `${id}.json`));
  });

  it('keeps the results a worker saved before its batch failed: no job holds both a result and an error', async () => {
    const dir = join(await tempDir(), 'results');
    const runner = startRunner({ store: fileStore(dir), threads: 1, workerFile: fixtureWorker('throws-after-saving') });
    await runner.ready();
    // Submitted in one turn of the event loop, so they travel as one batch, poison included.
    const jobs = [...mixedJobs(5, 34, ['states_mean', 'best5']), mixedJobs(1, 35, ['global_mean'])[0] as TestJob];
    const { ids, outcomes } = await runJobs(runner, jobs);
    expect(outcomes).toEqual(jobs.map((job) => ({ status: 'done', data: sampleData().query(job.name, job.params) })));
    expect(runner.counts()).toMatchObject({ done: jobs.length, error: 0 });
    await runner.shutdown();
    expect(await folderContents(dir)).toEqual(ids.map((id) => `${id}.json`));
  });
});
