import { existsSync } from 'node:fs';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataIngestor, fileStore, type JobEvent, JobRunner, memoryStore, type ResultStore } from '@lestats/core';
import Tinypool from 'tinypool';
import { collectGarbage, median, msSince, progress } from './measure';
import { type MixedJob, meanResultBytes, mixedJobs } from './mixed-jobs';
import type { Scenario } from './scenario';
import { type Metric, metric } from './table';

// The file store's own write concurrency (MAX_WRITES in packages/core/src/jobs/file-store.ts).
const STORE_WRITES = 64;

const perSecond = (count: number, ms: number) => (count / ms) * 1000;

/**
 * (a) A tinypool pool of trivial tasks. `rate` runs `count` of them, keeping two per thread
 * in flight (the depth the runner keeps; queueing all at once is slower in tinypool), and
 * returns tasks per second.
 */
async function echoPool(threads: number, warmUp: number) {
  const pool = new Tinypool({
    filename: new URL('./workers/echo.mjs', import.meta.url).href,
    minThreads: threads,
    maxThreads: threads,
  });
  const batch = async (count: number) => {
    let next = 0;
    const lane = async () => {
      while (next < count) await pool.run(next++);
    };
    await Promise.all(Array.from({ length: threads * 2 }, lane));
  };
  await batch(warmUp);
  return {
    async rate(count: number): Promise<number> {
      collectGarbage();
      const start = process.hrtime.bigint();
      await batch(count);
      return perSecond(count, msSince(start));
    },
    destroy: () => pool.destroy(),
  };
}

/** Submits `count` jobs (at most `window` unfinished at a time) and resolves once all have ended. */
function runJobs(runner: JobRunner, next: () => MixedJob, count: number, window = count): Promise<{ errors: number }> {
  return new Promise((resolve, reject) => {
    let submitted = 0;
    let ended = 0;
    let errors = 0;
    const submit = () => {
      const { name, params } = next();
      submitted++;
      runner.submit(name, params as never).catch(reject);
    };
    const onJob = (event: JobEvent) => {
      ended++;
      if (event.status === 'error') errors++;
      if (submitted < count) submit();
      if (ended === count) {
        runner.off('job', onJob);
        resolve({ errors });
      }
    };
    runner.on('job', onJob);
    while (submitted < Math.min(window, count)) submit();
  });
}

/** (b)/(d) Jobs per second through a fresh JobRunner on `store`, after `warmUp` jobs. */
async function runnerRate(data: DataIngestor, threads: number, store: ResultStore, jobs: number, warmUp: number) {
  const runner = new JobRunner({ data, threads, store });
  await runner.ready();
  const next = mixedJobs(data, 1);
  await runJobs(runner, next, warmUp);
  collectGarbage();
  const start = process.hrtime.bigint();
  const { errors } = await runJobs(runner, next, jobs);
  const rate = perSecond(jobs, msSince(start));
  await runner.shutdown();
  return { rate, errors };
}

/** (c) writeFile(tmp) + rename per file, `STORE_WRITES` at a time, as the file store does it. */
async function renameRate(dir: string, payloads: (i: number) => string, files: number): Promise<number> {
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < files; i = next++) {
      const temporary = join(dir, `.job_id_${i}.${process.pid}.tmp`);
      await writeFile(temporary, payloads(i));
      await rename(temporary, join(dir, `job_id_${i}.json`));
    }
  };
  const start = process.hrtime.bigint();
  await Promise.all(Array.from({ length: STORE_WRITES }, lane));
  return perSecond(files, msSince(start));
}

/**
 * Fresh folders under `parent` for the disk measurements. They are all removed at the end,
 * not between measurements: deleting thousands of files keeps the file system busy for a
 * while and would slow whichever measurement came next.
 */
async function freshDirs(parent: string) {
  const dirs: string[] = [];
  return {
    async measure<T>(fn: (dir: string) => Promise<T>): Promise<T> {
      const dir = await mkdtemp(join(parent, 'files-'));
      dirs.push(dir);
      collectGarbage();
      return fn(dir);
    },
    removeAll: () => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))),
  };
}

/** (e) Heap kept per finished job: before and after `heapJobs` file-store jobs, garbage collected. */
async function heapPerJob(data: DataIngestor, threads: number, dir: string, heapJobs: number, warmUp: number) {
  const runner = new JobRunner({ data, threads, store: fileStore(dir) });
  await runner.ready();
  const next = mixedJobs(data, 99);
  await runJobs(runner, next, warmUp, 10_000);
  collectGarbage();
  const before = process.memoryUsage();
  const { errors } = await runJobs(runner, next, heapJobs, 10_000);
  collectGarbage();
  const after = process.memoryUsage();
  await runner.shutdown();
  return {
    heap: (after.heapUsed - before.heapUsed) / heapJobs,
    withBuffers: (after.heapUsed + after.arrayBuffers - before.heapUsed - before.arrayBuffers) / heapJobs,
    errors,
    before,
    after,
  };
}

/**
 * Issue 4 (a)–(e), every pool with the same thread count: tinypool's raw round trip,
 * JobRunner throughput on the memory and file stores, the disk's own write+rename rate,
 * and the heap a finished job keeps.
 */
export const runner: Scenario = async ({ quick, tmpDir, threads }) => {
  const sizes = quick
    ? { jobs: 5_000, files: 500, heapJobs: 5_000, warmUp: 1_000, runs: 2, fileRuns: 2 }
    : { jobs: 100_000, files: 3_000, heapJobs: 200_000, warmUp: 5_000, runs: 3, fileRuns: 5 };
  const data = DataIngestor.sample();
  const resultBytes = meanResultBytes(data);
  const oneKb = 'x'.repeat(1024);
  const mix = mixedJobs(data, 0);
  const mixTexts = Array.from({ length: sizes.files }, () => {
    const { name, params } = mix();
    return data.queryJson(name, params as never);
  });

  // Each baseline is measured right beside its contender, run after run, so that load
  // from other processes on a shared machine falls on both alike.
  const pool = await echoPool(threads, sizes.warmUp);
  const raw: number[] = [];
  const memory: Array<{ rate: number; errors: number }> = [];
  for (let run = 0; run < sizes.runs; run++) {
    raw.push(await pool.rate(sizes.jobs));
    memory.push(await runnerRate(data, threads, memoryStore(), sizes.jobs, sizes.warmUp));
  }
  await pool.destroy();
  progress(
    `tinypool ${raw.map(Math.round).join(', ')} tasks/s; runner ${memory.map((m) => Math.round(m.rate)).join(', ')} jobs/s`,
  );

  const disk: number[] = [];
  const diskMix: number[] = [];
  const files: Array<{ rate: number; errors: number }> = [];
  const dirs = await freshDirs(tmpDir);
  for (let run = 0; run < sizes.fileRuns; run++) {
    disk.push(await dirs.measure((dir) => renameRate(dir, () => oneKb, sizes.files)));
    diskMix.push(await dirs.measure((dir) => renameRate(dir, (i) => mixTexts[i] as string, sizes.files)));
    files.push(await dirs.measure((dir) => runnerRate(data, threads, fileStore(dir), sizes.files, sizes.files / 10)));
  }
  await dirs.removeAll();
  progress(
    `files/s: 1 KB ${disk.map(Math.round).join(', ')}; mix ${diskMix.map(Math.round).join(', ')}; ` +
      `fileStore ${files.map((f) => Math.round(f.rate)).join(', ')}`,
  );

  // The heap figure does not depend on the disk, and 200 000 files take minutes on a slow
  // one: on Linux this folder is on tmpfs.
  const heapParent = existsSync('/dev/shm') ? '/dev/shm' : tmpDir;
  const heapDirs = await freshDirs(heapParent);
  const heap = await heapDirs.measure((dir) => heapPerJob(data, threads, dir, sizes.heapJobs, sizes.warmUp));
  await heapDirs.removeAll();
  progress(`heap per job: ${heap.heap.toFixed(1)} B (with array buffers ${heap.withBuffers.toFixed(1)} B)`);

  const rawRate = median(raw);
  const diskRate = median(disk);
  const errors = [...memory, ...files].reduce((n, r) => n + r.errors, 0) + heap.errors;
  const metrics: Metric[] = [
    metric({ name: `tinypool raw round trip (${threads} threads)`, value: rawRate, unit: 'tasks/s' }),
    metric({
      name: `JobRunner, memoryStore, ${sizes.jobs} mixed jobs`,
      value: median(memory.map((m) => m.rate)),
      unit: 'jobs/s',
      baseline: rawRate,
      baselineName: 'tinypool',
      targets: [{ on: 'ratio', op: '>=', limit: 0.7 }],
    }),
    metric({ name: `writeFile(tmp)+rename, 1 KB, ${STORE_WRITES} at a time`, value: diskRate, unit: 'files/s' }),
    metric({
      name: `JobRunner, fileStore, ${sizes.files} mixed jobs`,
      value: median(files.map((f) => f.rate)),
      unit: 'jobs/s',
      baseline: diskRate,
      baselineName: '1 KB files',
      targets: [{ on: 'ratio', op: '>=', limit: 0.8 }],
    }),
    metric({
      name: `writeFile(tmp)+rename, the mix's results (${Math.round(resultBytes)} B mean)`,
      value: median(diskMix),
      unit: 'files/s',
      baseline: diskRate,
      baselineName: '1 KB files',
      note: 'the same disk rate with the payloads the file store really writes',
    }),
    metric({
      name: `heap kept per finished job (${sizes.heapJobs} jobs, fileStore)`,
      value: heap.heap,
      unit: 'B/job',
      targets: [{ on: 'value', op: '<=', limit: 100 }],
    }),
    metric({
      name: 'the same, counting ArrayBuffer memory',
      value: heap.withBuffers,
      unit: 'B/job',
      targets: [{ on: 'value', op: '<=', limit: 100 }],
    }),
    metric({
      name: 'jobs that ended in error',
      value: errors,
      unit: 'jobs',
      targets: [{ on: 'value', op: '<=', limit: 0 }],
    }),
  ];
  return {
    title: `Job runner (issue 4 a-e): ${threads} worker threads`,
    metrics,
    details: { sizes, threads, resultBytes, raw, memory, disk, diskMix, files, heap: { ...heap, dir: heapParent } },
  };
};
