import { EventEmitter } from 'node:events';
import type { ResourceLimits } from 'node:worker_threads';
import type { DataIngestor } from '../data-source';
import { fail } from '../errors';
import { QUERY_NAMES, type QueryName, type QueryParams, type QueryResult } from '../queries/table';
import { formatJobId, type JobId, parseJobId } from './job-id';
import { JobQueue, type QueuedJob } from './job-queue';
import { memoryStore } from './memory-store';
import { resolveThreads, WorkerPool } from './pool';
import { StatusTable } from './status-table';
import type { ResultStore, StoredOutcome } from './store';
import type { BatchOutcome, BatchPayload } from './worker';

/** Where a job is: waiting, on a worker, finished with a result, or failed. */
export type JobStatus = 'queued' | 'running' | 'done' | 'error';

/** How a job ended. */
export type JobOutcome<R = unknown> = { status: 'done'; data: R } | { status: 'error'; reason: string };

/** Emitted as `'job'` each time a job ends, after its outcome is persisted. */
export interface JobEvent {
  id: JobId;
  query: QueryName;
  status: 'done' | 'error';
  /** Why it failed, for `status: 'error'`. */
  reason?: string;
  /** From submission to persisted outcome. */
  durationMs: number;
}

/** How many jobs are in each status. */
export type JobCounts = Record<JobStatus, number>;

/** Options of a {@link JobRunner}. */
export interface JobRunnerOptions {
  /** The data set the jobs query; its index is shared with the workers, not copied. */
  data: DataIngestor;
  /** Worker threads: else `TP_NUM_OF_THREADS`, else `os.availableParallelism()`. */
  threads?: number;
  /** Where outcomes are kept (default: {@link memoryStore}). */
  store?: ResultStore;
  /** Most jobs allowed to wait for a worker (default 100 000); beyond it `submit` rejects. */
  maxQueue?: number;
  /** Memory limits of each worker; a worker over them dies and fails only its own jobs. */
  resourceLimits?: ResourceLimits;
  /** @internal A replacement worker module, for fault-injection tests. */
  workerFile?: URL;
}

const STATUS_CODE = { queued: 1, running: 2, done: 3, error: 4 } as const;
const STATUS_OF = [undefined, 'queued', 'running', 'done', 'error'] as const;
// Jobs cost microseconds and a worker round trip costs more, so jobs travel in batches;
// a small backlog still goes out at once, one job per batch.
const MAX_BATCH = 128;
const BATCHES_PER_THREAD = 2;

function defaultWorkerFile(): URL {
  // The worker sits beside this module in every form it ships in: ESM (.js) and CJS (.cjs);
  // from source (.ts) a shim loads it through tsx.
  const here = import.meta.url;
  const extension = here.slice(here.lastIndexOf('.'));
  return new URL(extension === '.ts' ? './worker-dev.mjs' : `./worker${extension}`, here);
}

/**
 * Runs queries as jobs on a worker-thread pool (tinypool): ids `job_id_1, job_id_2, …`
 * in submission order, a bounded queue, outcomes persisted through a {@link ResultStore},
 * and a shutdown that drains every accepted job.
 *
 * @example
 * ```ts
 * const runner = new JobRunner({ data, threads: 2, store: fileStore('results') });
 * const id = await runner.submit('states_mean', { question });
 * const outcome = await runner.wait(id); // { status: 'done', data: { Utah: 24.1, … } }
 * await runner.shutdown();
 * ```
 */
export class JobRunner extends EventEmitter<{ job: [JobEvent] }> {
  readonly #data: DataIngestor;
  readonly #store: ResultStore;
  readonly #pool: WorkerPool;
  readonly #maxQueue: number;
  readonly #opened: Promise<void>;
  readonly #statuses = new StatusTable();
  readonly #counts: JobCounts = { queued: 0, running: 0, done: 0, error: 0 };
  readonly #queue = new JobQueue();
  readonly #waiters = new Map<number, Array<() => void>>();
  readonly #unsaved = new Map<number, string>();
  #drainWaiters: Array<() => void> = [];
  #lastId = 0;
  #batchesInFlight = 0;
  #pumpScheduled = false;
  #accepting = true;
  #shutdown: Promise<void> | undefined;

  constructor(options: JobRunnerOptions) {
    super();
    const maxQueue = options.maxQueue ?? 100_000;
    if (!Number.isInteger(maxQueue) || maxQueue < 1) throw new RangeError(`maxQueue must be a whole number >= 1, got ${maxQueue}`);
    this.#data = options.data;
    this.#store = options.store ?? memoryStore();
    this.#maxQueue = maxQueue;
    this.#pool = new WorkerPool({
      filename: options.workerFile ?? defaultWorkerFile(),
      threads: resolveThreads(options.threads),
      workerData: options.data.index.data,
      resourceLimits: options.resourceLimits,
    });
    this.#opened = this.#store.open().then(({ lastId, finished }) => {
      for (const [id, status] of finished) {
        this.#statuses.set(id, STATUS_CODE[status]);
        this.#counts[status]++;
      }
      this.#lastId = Math.max(this.#lastId, lastId);
    });
    // Surfaced by ready(), submit() and shutdown(); never an unhandled rejection.
    this.#opened.catch(() => {});
  }

  /** Worker threads in the pool. */
  get threads(): number {
    return this.#pool.threads;
  }

  /** False once {@link JobRunner.shutdown} has begun. */
  get accepting(): boolean {
    return this.#accepting;
  }

  /** Resolves once the store is open and its jobs recovered; rejects if the store cannot open. */
  ready(): Promise<void> {
    return this.#opened;
  }

  /**
   * Validates and queues a job. Rejects with {@link LeStatsInputError} on bad input
   * (no job is created) and {@link LeStatsRunnerError} when the queue is full or the
   * runner is shutting down.
   */
  async submit<N extends QueryName>(name: N, params: QueryParams<N>): Promise<JobId<N>> {
    this.#checkAccepting();
    const query = this.#data.resolve(name, params);
    await this.#opened;
    this.#checkAccepting();
    if (this.#counts.queued >= this.#maxQueue) {
      throw fail.runner('queue_full', `queue full: ${this.#maxQueue} jobs are already waiting`);
    }
    const id = ++this.#lastId;
    this.#statuses.set(id, STATUS_CODE.queued);
    this.#counts.queued++;
    this.#queue.push({
      id,
      query: QUERY_NAMES.indexOf(query.name),
      question: query.question,
      cell: query.cell,
      submittedAt: performance.now(),
    });
    this.#schedulePump();
    return formatJobId<N>(id);
  }

  /** The status of a job, or undefined for an id never issued (or malformed). */
  status(id: string): JobStatus | undefined {
    const n = parseJobId(id);
    return n === undefined ? undefined : STATUS_OF[this.#statuses.get(n)];
  }

  /**
   * Resolves true once the job has ended (at once if it has), or false when `timeoutMs`
   * pass first. Resolves false for an unknown id.
   */
  settled(id: string, timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    const status = this.status(id);
    if (status === undefined) return Promise.resolve(false);
    if (status === 'done' || status === 'error') return Promise.resolve(true);
    const n = parseJobId(id) as number;
    return new Promise((resolve) => {
      const list = this.#waiters.get(n) ?? [];
      const onEnd = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            const remaining = (this.#waiters.get(n) ?? []).filter((w) => w !== onEnd);
            if (remaining.length > 0) this.#waiters.set(n, remaining);
            else this.#waiters.delete(n);
            resolve(false);
          }, timeoutMs)
        : undefined;
      list.push(onEnd);
      this.#waiters.set(n, list);
    });
  }

  /** The persisted outcome of a finished job (the result as JSON text), else undefined. */
  async outcome(id: string): Promise<StoredOutcome | undefined> {
    const status = this.status(id);
    if (status !== 'done' && status !== 'error') return undefined;
    const n = parseJobId(id) as number;
    const unsaved = this.#unsaved.get(n);
    if (unsaved !== undefined) return { status: 'error', reason: unsaved };
    return (await this.#store.read(n)) ?? { status: 'error', reason: 'result missing from the store' };
  }

  /** Waits for a job to end and returns its outcome with the result parsed. */
  async wait<N extends QueryName>(id: JobId<N>): Promise<JobOutcome<QueryResult<N>>> {
    if (!(await this.settled(id))) throw fail.input('unknown_job', `unknown job id ${JSON.stringify(id)}`);
    const stored = (await this.outcome(id)) as StoredOutcome;
    return stored.status === 'done' ? { status: 'done', data: JSON.parse(stored.json) } : stored;
  }

  /** Every job this runner knows (including recovered ones) with its status, in id order. */
  list(): Array<{ id: JobId; status: JobStatus }> {
    const out: Array<{ id: JobId; status: JobStatus }> = [];
    for (const [n, code] of this.#statuses.entries()) out.push({ id: formatJobId(n), status: STATUS_OF[code] as JobStatus });
    return out;
  }

  /** Jobs queued or running. */
  pending(): number {
    return this.#counts.queued + this.#counts.running;
  }

  /** How many jobs are in each status. */
  counts(): JobCounts {
    return { ...this.#counts };
  }

  /**
   * Stops accepting jobs, lets every accepted job finish and be persisted, then stops the
   * workers and closes the store. Idempotent: every call returns the same promise.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      this.#accepting = false;
      await this.#opened.catch(() => {});
      if (this.pending() > 0) await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
      await this.#pool.destroy();
      await this.#store.close();
    })();
    return this.#shutdown;
  }

  #checkAccepting(): void {
    if (!this.#accepting) throw fail.runner('shutting_down', 'shutting down: no new jobs are accepted');
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    queueMicrotask(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    const limit = this.#pool.threads * BATCHES_PER_THREAD;
    while (this.#queue.size > 0 && this.#batchesInFlight < limit) {
      const size = Math.min(MAX_BATCH, Math.ceil(this.#queue.size / limit));
      const jobs: QueuedJob[] = [];
      const payload: BatchPayload = new Float64Array(size * 3);
      for (let i = 0; i < size; i++) {
        const job = this.#queue.shift() as QueuedJob;
        jobs.push(job);
        payload.set([job.query, job.question, job.cell], i * 3);
        this.#move(job.id, 'queued', 'running');
      }
      this.#batchesInFlight++;
      this.#pool
        .run<BatchPayload, BatchOutcome[]>(payload)
        .then(
          (outcomes) => {
            for (const [i, job] of jobs.entries()) this.#finish(job, outcomes[i] ?? { reason: 'worker returned no outcome' });
          },
          (error: unknown) => {
            const reason = `worker failed: ${error instanceof Error ? error.message : String(error)}`;
            for (const job of jobs) this.#finish(job, { reason });
          },
        )
        .finally(() => {
          this.#batchesInFlight--;
          this.#pump();
        });
    }
  }

  async #finish(job: QueuedJob, outcome: BatchOutcome): Promise<void> {
    let stored: StoredOutcome = 'json' in outcome ? { status: 'done', json: outcome.json } : { status: 'error', reason: outcome.reason };
    try {
      await this.#store.save(job.id, stored);
    } catch (error) {
      stored = { status: 'error', reason: `could not persist the outcome: ${error instanceof Error ? error.message : String(error)}` };
      await this.#store.save(job.id, stored).catch(() => this.#unsaved.set(job.id, (stored as { reason: string }).reason));
    }
    this.#move(job.id, 'running', stored.status);
    const waiters = this.#waiters.get(job.id);
    this.#waiters.delete(job.id);
    for (const wake of waiters ?? []) wake();
    this.emit('job', {
      id: formatJobId(job.id),
      query: QUERY_NAMES[job.query] as QueryName,
      status: stored.status,
      ...(stored.status === 'error' ? { reason: stored.reason } : {}),
      durationMs: performance.now() - job.submittedAt,
    });
    if (this.pending() === 0) {
      const drained = this.#drainWaiters;
      this.#drainWaiters = [];
      for (const resolve of drained) resolve();
    }
  }

  #move(id: number, from: JobStatus, to: JobStatus): void {
    this.#statuses.set(id, STATUS_CODE[to]);
    this.#counts[from]--;
    this.#counts[to]++;
  }
}
