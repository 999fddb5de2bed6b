// Shared by the JobRunner tests: one small data set, seeded mixes of valid jobs, and
// runners and temporary folders that cleanUp() disposes of.

import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataIngestor } from '../../data-source';
import { seededRandom } from '../../ingest/random';
import { DEFAULT_RANKING } from '../../queries/rank';
import { QUERY_NAMES, type QueryName, type StateParams } from '../../queries/table';
import { fileStore } from '../file-store';
import type { JobId } from '../job-id';
import { memoryStore } from '../memory-store';
import { JobRunner, type JobRunnerOptions } from '../runner';
import type { ResultStore } from '../store';

/** A question of the sample left without a ranking direction, so best5/worst5 refuse it. */
export const UNRANKED_QUESTION = DEFAULT_RANKING.bestIsMax[0] as string;

let data: DataIngestor | undefined;

/** The sample data set, ingested once per test file. */
export function sampleData(): DataIngestor {
  data ??= DataIngestor.sample({ rows: 6000, seed: 11, ranking: { bestIsMax: DEFAULT_RANKING.bestIsMax.slice(1) } });
  return data;
}

/** One job to submit: a query and parameters it accepts (`state` is ignored by queries without one). */
export interface TestJob {
  name: QueryName;
  params: StateParams;
}

/** `count` valid jobs cycling through the nine queries, on questions and states drawn from `seed`. */
export function mixedJobs(count: number, seed = 1, only: readonly QueryName[] = QUERY_NAMES): TestJob[] {
  const source = sampleData();
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const questions = source.questions().map((q) => q.question);
  const states = source.states();
  const jobs: TestJob[] = [];
  while (jobs.length < count) {
    const job = {
      name: only[jobs.length % only.length] as QueryName,
      params: { question: pick(questions), state: pick(states) },
    };
    if (isValid(source, job)) jobs.push(job);
  }
  return jobs;
}

// Skips what submit would refuse: a few empty (question, state) cells, rankings of UNRANKED_QUESTION.
function isValid(source: DataIngestor, job: TestJob): boolean {
  try {
    source.resolve(job.name, job.params);
    return true;
  } catch {
    return false;
  }
}

/** What the synchronous query answers for a job, as JSON text. */
export function expectedJson(job: TestJob): string {
  return sampleData().queryJson(job.name, job.params);
}

/** Submits a test job. */
export function submitJob(runner: JobRunner, job: TestJob): Promise<JobId> {
  return runner.submit(job.name, job.params);
}

/** Submits jobs all at once, then waits for every one of them. */
export async function runJobs(runner: JobRunner, jobs: readonly TestJob[]) {
  const ids = await Promise.all(jobs.map((job) => submitJob(runner, job)));
  return { ids, outcomes: await Promise.all(ids.map((id) => runner.wait(id))) };
}

/** Worker modules of this folder, for the runner's internal `workerFile` option. */
export function fixtureWorker(
  name: 'slow' | 'throws' | 'throws-after-saving' | 'exits' | 'out-of-memory' | 'broken' | 'batches',
): URL {
  return new URL(`./${name}.mjs`, import.meta.url);
}

const cleanups: Array<() => Promise<unknown>> = [];

/**
 * Shuts down the runners and removes the folders made so far, newest first (a runner may
 * still be writing into its folder). Test files register it with afterEach or afterAll.
 */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** A fresh folder under the OS temporary directory, removed by {@link cleanUp}. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lestats-jobs-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A runner on the sample data with two threads, shut down by {@link cleanUp}. */
export function startRunner(options: Partial<JobRunnerOptions> = {}): JobRunner {
  const runner = new JobRunner({ data: sampleData(), threads: 2, ...options });
  cleanups.push(() => runner.shutdown());
  return runner;
}

/** A store under test, and the folder it writes into (none for the memory store). */
export interface StoreUnderTest {
  store: ResultStore;
  dir?: string;
}

/** Both stores, for tests that must hold for either: a memory store, and a file store in a fresh folder. */
export const STORES: Array<[name: string, make: () => Promise<StoreUnderTest>]> = [
  ['memoryStore', async () => ({ store: memoryStore() })],
  [
    'fileStore',
    async () => {
      const dir = join(await tempDir(), 'results');
      return { store: fileStore(dir), dir };
    },
  ],
];

/**
 * A memory store that opens only when `opens()` is called: a submission meanwhile is
 * accepted but has no id yet, as with a shared store slow to issue ids.
 */
export function lateOpeningStore(): { store: ResultStore; opens: () => void } {
  const store = memoryStore();
  const open = store.open.bind(store);
  let opens!: () => void;
  const opened = new Promise<void>((resolve) => {
    opens = resolve;
  });
  store.open = async () => {
    await opened;
    return open();
  };
  return { store, opens };
}

/** The name of a finished job's file: `job_id_N.json` or `job_id_N.error.json`. */
export const FINISHED_FILE = /^job_id_([1-9]\d*)(\.error)?\.json$/;

/** The files of a results folder, in job order (other names last, sorted). */
export async function folderContents(dir: string): Promise<string[]> {
  const order = (name: string) => Number(FINISHED_FILE.exec(name)?.[1] ?? Number.POSITIVE_INFINITY);
  return (await readdir(dir)).sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
}
