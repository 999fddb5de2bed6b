import { EventEmitter } from 'node:events';
import type { ResourceLimits } from 'node:worker_threads';
import type { DataIngestor } from '../data-source';
import { fail, messageOf, shown } from '../errors';
import { QUERY_NAMES, type QueryName, type QueryParams, type QueryResult, type ResolvedQuery } from '../queries/table';
import { type BatchOutcome, type BatchPayload, encodeBatch, type WorkerData } from './batch';
import { formatJobId, type JobId, parseJobId } from './job-id';
import { JobNumbers } from './job-numbers';
import { pageOf } from './job-page';
import { JobQueue, type QueuedJob } from './job-queue';
import { JobWaiters } from './job-waiters';
import { memoryStore } from './memory-store';
import { resolveThreads, WorkerPool } from './pool';
import { RemoteWaits } from './remote-waits';
import { StatusTable } from './status-table';
import type { JobPage, JobStatus, ResultStore, SharedJobs, StoredOutcome } from './store';

export type { JobStatus };

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
// Jobs cost microseconds and a worker round trip costs more, so jobs travel in batches:
// every job submitted in one turn of the event loop, split evenly over the threads, but
// never into batches under MIN_SPLIT jobs: waking a sleeping worker costs the main thread
// more than the other worker takes to run a few jobs more (12% less CPU per job in the
// closed-loop benchmark, where most turns submit two or three jobs).
const MAX_BATCH = 128;
const MIN_SPLIT = 16;
const BATCHES_PER_THREAD = 2;
// How many jobs of dead instances one adoption takes at most.
const MAX_ADOPT = 1024;
const MISSING: StoredOutcome = { status: 'error', reason: 'result missing from the store' };
// A client usually asks for a job's outcome right as it ends (get_results?wait=): the last
// few outcomes stay in memory so that request needs no store read. Bounded by count, so
// finished jobs still cost the heap nothing each.
const RECENT_OUTCOMES = 256;

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
 * Emits `'job'` ({@link JobEvent}) as each job ends, and `'draining'` once, when
 * {@link JobRunner.drain} (or {@link JobRunner.shutdown}) begins, whoever called it.
 *
 * @example
 * ```ts
 * const runner = new JobRunner({ data, threads: 2, store: fileStore('results') });
 * const id = await runner.submit('states_mean', { question });
 * const outcome = await runner.wait(id); // { status: 'done', data: { Utah: 24.1, … } }
 * await runner.shutdown();
 * ```
 */
export class JobRunner extends EventEmitter<{ job: [JobEvent]; draining: [] }> {
  readonly #data: DataIngestor;
  readonly #store: ResultStore;
  readonly #shared: SharedJobs | undefined;
  readonly #remote: RemoteWaits | undefined;
  readonly #pool: WorkerPool;
  readonly #maxQueue: number;
  readonly #opened: Promise<void>;
  readonly #statuses = new StatusTable();
  readonly #counts: JobCounts = { queued: 0, running: 0, done: 0, error: 0 };
  readonly #queue = new JobQueue();
  readonly #waiters = new JobWaiters();
  readonly #unsaved = new Map<number, string>();
  readonly #recent = new Map<number, StoredOutcome>();
  #drainWaiters: Array<() => void> = [];
  /** Set once the store has opened and its recovered jobs are known. */
  #isOpen = false;
  readonly #numbers: JobNumbers;
  /** Submissions and adoptions waiting for the shared store: accepted work that is not queued yet. */
  #reserved = 0;
  #adopting = false;
  #batchesInFlight = 0;
  #pumpScheduled = false;
  #accepting = true;
  #drain: Promise<void> | undefined;
  #shutdown: Promise<void> | undefined;

  constructor(options: JobRunnerOptions) {
    super();
    const maxQueue = options.maxQueue ?? 100_000;
    if (!Number.isInteger(maxQueue) || maxQueue < 1)
      throw new RangeError(`maxQueue must be a whole number >= 1, got ${shown(maxQueue)}`);
    this.#data = options.data;
    this.#store = options.store ?? memoryStore();
    this.#shared = this.#store.shared;
    // A shared store hands out the numbers itself.
    this.#numbers = new JobNumbers(this.#shared === undefined ? this.#store.issued : undefined, (id) =>
      this.#hasStoredOutcome(id),
    );
    this.#remote = this.#shared && new RemoteWaits(this.#shared);
    this.#maxQueue = maxQueue;
    this.#pool = new WorkerPool({
      filename: options.workerFile ?? defaultWorkerFile(),
      threads: resolveThreads(options.threads),
      workerData: { index: options.data.index.data, folder: this.#store.folder } satisfies WorkerData,
      resourceLimits: options.resourceLimits,
    });
    this.#opened = this.#store.open().then(({ lastId, finished }) => {
      for (const [id, status] of finished) {
        this.#statuses.set(id, STATUS_CODE[status]);
        this.#counts[status]++;
      }
      this.#numbers.continueAfter(lastId);
      this.#shared?.onOrphans(() => void this.#adoptOrphans());
      this.#isOpen = true;
    });
    // Surfaced by ready(), submit() and shutdown(); never an unhandled rejection.
    this.#opened.catch(() => {});
  }

  /** Worker threads in the pool. */
  get threads(): number {
    return this.#pool.threads;
  }

  /** False once {@link JobRunner.drain} (or {@link JobRunner.shutdown}) has begun. */
  get accepting(): boolean {
    return this.#accepting;
  }

  /**
   * Resolves once the store is open and its jobs recovered; rejects if the store cannot open.
   * The methods that return promises wait for it by themselves; `status`, `list` and
   * `counts` show recovered jobs only once it has resolved.
   */
  ready(): Promise<void> {
    return this.#opened;
  }

  /**
   * Validates and queues a job. Rejects with {@link LeStatsInputError} on bad input
   * (no job is created) and {@link LeStatsRunnerError} when the queue is full, the
   * runner is shutting down, a shared store is out of reach (`store_unavailable`), or no
   * job id is left (`ids_exhausted`).
   */
  async submit<N extends QueryName>(name: N, params: QueryParams<N>): Promise<JobId<N>> {
    this.#checkAccepting();
    const query = this.#data.resolve(name, params);
    if (this.#counts.queued + this.#reserved >= this.#maxQueue) {
      throw fail.runner('queue_full', `queue full: ${this.#maxQueue} jobs are already waiting`);
    }
    // Accepted from here on: a shutdown that begins while the store opens or hands out the
    // id still waits for this job, so every submit called before shutdown() runs.
    this.#reserved++;
    let id: number;
    try {
      await this.#opened;
      id =
        this.#shared === undefined
          ? this.#numbers.next()
          : await this.#shared.accept(JSON.stringify([query.name, params]));
      // Reached only from a results folder holding an id close to it: beyond, ids would repeat.
      if (id > Number.MAX_SAFE_INTEGER)
        throw fail.runner('ids_exhausted', `job ids exhausted: job_id_${Number.MAX_SAFE_INTEGER} was the last`);
    } catch (error) {
      this.#reserved--;
      this.#checkDrained();
      throw error;
    }
    // Queued in the same step, so a waiting shutdown never sees this job as gone.
    this.#reserved--;
    this.#enqueue(id, query);
    return formatJobId<N>(id);
  }

  /** The status of a job, or undefined for an id never issued (or malformed). */
  status(id: string): JobStatus | undefined {
    const n = parseJobId(id);
    return n === undefined ? undefined : STATUS_OF[this.#statuses.get(n)];
  }

  /**
   * Resolves true once the job has ended (at once if it has), or false when `timeoutMs`
   * pass or `signal` aborts first (a long-polling client that went away passes its
   * request's signal, so nothing is held for it). Resolves false for an unknown id. A wait
   * on another instance's job rejects with a `shutting_down` {@link LeStatsRunnerError} if
   * this runner shuts down first.
   */
  settled(id: string, timeoutMs = Number.POSITIVE_INFINITY, signal?: AbortSignal): Promise<boolean> {
    if (!this.#isOpen) return this.#opened.then(() => this.settled(id, timeoutMs, signal));
    const status = this.status(id);
    const n = parseJobId(id);
    if (n === undefined) return Promise.resolve(false);
    if (status === undefined) {
      return this.#remote === undefined ? Promise.resolve(false) : this.#remote.settled(n, timeoutMs, signal);
    }
    if (status === 'done' || status === 'error') return Promise.resolve(true);
    return this.#waiters.wait(n, timeoutMs, signal);
  }

  /**
   * The persisted outcome of a finished job (the result as JSON text), else undefined.
   * With a shared store this includes jobs other instances ran.
   */
  async outcome(id: string): Promise<StoredOutcome | undefined> {
    if (!this.#isOpen) await this.#opened;
    const status = this.status(id);
    const n = parseJobId(id);
    if (n === undefined) return undefined;
    if (status === undefined && this.#shared !== undefined) return this.#store.read(n);
    if (status !== 'done' && status !== 'error') return undefined;
    const unsaved = this.#unsaved.get(n);
    if (unsaved !== undefined) return { status: 'error', reason: unsaved };
    const stored = this.#recent.get(n) ?? (await this.#store.read(n)) ?? MISSING;
    // Recovered jobs are listed from file names alone: one whose file turns out damaged or
    // gone reads as an error, and from then on is listed and counted as one.
    if (stored.status === 'error' && this.#statuses.get(n) === STATUS_CODE.done) this.#move(n, 'done', 'error');
    return stored;
  }

  /**
   * Waits for a job to end and returns its outcome with the result parsed. Rejects for an
   * unknown id, and as {@link JobRunner.settled} does when this runner shuts down first.
   */
  async wait<N extends QueryName>(id: JobId<N>): Promise<JobOutcome<QueryResult<N>>> {
    if (!(await this.settled(id))) throw fail.input('unknown_job', `unknown job id ${JSON.stringify(id)}`);
    const stored = (await this.outcome(id)) ?? MISSING;
    return stored.status === 'done' ? { status: 'done', data: JSON.parse(stored.json) } : stored;
  }

  /**
   * Every job this runner knows (including recovered ones) with its status, in id order;
   * `page` takes a slice of that list. Throws {@link LeStatsInputError} for a bad page.
   */
  list(page?: Partial<JobPage>): Array<{ id: JobId; status: JobStatus }> {
    const { offset, limit } = pageOf(page);
    const out: Array<{ id: JobId; status: JobStatus }> = [];
    let skipped = 0;
    for (const [n, code] of this.#statuses.entries()) {
      if (out.length >= limit) break;
      if (skipped < offset) skipped++;
      else out.push({ id: formatJobId(n), status: STATUS_OF[code] as JobStatus });
    }
    return out;
  }

  /** Jobs queued or running on this runner. */
  pending(): number {
    return this.#counts.queued + this.#counts.running;
  }

  /**
   * Accepted work this runner has not finished: {@link JobRunner.pending} plus submissions
   * still waiting for a shared store to issue their id (and jobs of dead instances being
   * taken over). A drain resolves once this reaches 0.
   */
  outstanding(): number {
    return this.pending() + this.#reserved;
  }

  /** {@link JobRunner.status} across every instance when the store is shared; rejects if it is out of reach. */
  async lookup(id: string): Promise<JobStatus | undefined> {
    if (!this.#isOpen) await this.#opened;
    const status = this.status(id);
    const n = parseJobId(id);
    if (status !== undefined || n === undefined || this.#shared === undefined) return status;
    return (await this.#shared.statuses([n]))[0];
  }

  /** {@link JobRunner.list} across every instance when the store is shared; rejects a bad page. */
  async jobs(page?: Partial<JobPage>): Promise<Array<{ id: JobId; status: JobStatus }>> {
    if (!this.#isOpen) await this.#opened;
    if (this.#shared === undefined) return this.list(page);
    const entries = await this.#shared.list(pageOf(page));
    // This runner's own jobs may be ahead of the store (an outcome waiting for Redis to return).
    return entries.map(([n, status]) => ({ id: formatJobId(n), status: STATUS_OF[this.#statuses.get(n)] ?? status }));
  }

  /** {@link JobRunner.pending} across every instance when the store is shared. */
  async pendingTotal(): Promise<number> {
    if (!this.#isOpen) await this.#opened;
    return this.#shared === undefined ? this.pending() : this.#shared.pendingCount();
  }

  /** How many jobs are in each status. */
  counts(): JobCounts {
    return { ...this.#counts };
  }

  /**
   * Stops accepting jobs, lets every accepted job finish and be persisted, then stops the
   * workers. The store stays open until {@link JobRunner.shutdown}: outcomes stay readable,
   * and with a shared store so do the other instances' jobs, and waits on them still end
   * when those jobs do. Idempotent: every call returns the same promise.
   */
  drain(): Promise<void> {
    if (this.#drain === undefined) {
      this.#drain = (async () => {
        this.#accepting = false;
        await this.#opened.catch(() => {});
        if (this.outstanding() > 0) await new Promise<void>((resolve) => this.#drainWaiters.push(resolve));
        await this.#pool.destroy();
      })();
      // Once the promise is set, so a listener that calls drain() gets this one.
      this.emit('draining');
    }
    return this.#drain;
  }

  /**
   * {@link JobRunner.drain}, then closes the store: every accepted job has finished and been
   * persisted when it resolves. Idempotent: every call returns the same promise.
   */
  shutdown(): Promise<void> {
    this.#shutdown ??= (async () => {
      await this.drain();
      await this.#store.close();
      this.#remote?.close();
    })();
    return this.#shutdown;
  }

  // False too for a job the store could not keep, or a number never used.
  #hasStoredOutcome(id: number): boolean {
    const code = this.#statuses.get(id);
    return (code === STATUS_CODE.done || code === STATUS_CODE.error) && !this.#unsaved.has(id);
  }

  #checkAccepting(): void {
    if (!this.#accepting) throw fail.runner('shutting_down', 'shutting down: no new jobs are accepted');
  }

  #enqueue(id: number, query: ResolvedQuery, submittedAt = performance.now()): void {
    this.#statuses.set(id, STATUS_CODE.queued);
    this.#counts.queued++;
    this.#queue.push({
      id,
      query: QUERY_NAMES.indexOf(query.name),
      question: query.question,
      cell: query.cell,
      submittedAt,
    });
    this.#schedulePump();
  }

  /** Takes over jobs of dead instances, as far as the queue has room. */
  async #adoptOrphans(): Promise<void> {
    const room = Math.min(MAX_ADOPT, this.#maxQueue - this.#counts.queued - this.#reserved);
    if (this.#shared === undefined || !this.#accepting || this.#adopting || room <= 0) return;
    this.#adopting = true;
    this.#reserved++;
    try {
      for (const { id, spec } of await this.#shared.adopt(room)) this.#admitAdopted(id, spec);
    } catch {
      // The store offers the orphans again at its next heartbeat.
    } finally {
      this.#adopting = false;
      this.#reserved--;
      this.#checkDrained();
    }
  }

  /** Queues an adopted job; one this runner cannot run (another data set?) fails at once. */
  #admitAdopted(id: number, spec: string): void {
    const submittedAt = performance.now();
    let name = '';
    try {
      const [query, params] = JSON.parse(spec) as [string, unknown];
      name = query;
      this.#enqueue(id, this.#data.resolve(query, params), submittedAt);
    } catch (error) {
      this.#statuses.set(id, STATUS_CODE.running);
      this.#counts.running++;
      const query = (QUERY_NAMES as readonly string[]).indexOf(name);
      const reason = `cannot run the job taken over from a dead instance: ${messageOf(error)}`;
      void this.#finish({ id, query, question: 0, cell: 0, submittedAt }, { status: 'error', reason });
    }
  }

  #checkDrained(): void {
    if (this.outstanding() > 0) return;
    const drained = this.#drainWaiters;
    this.#drainWaiters = [];
    for (const resolve of drained) resolve();
  }

  #schedulePump(): void {
    if (this.#pumpScheduled) return;
    this.#pumpScheduled = true;
    setImmediate(() => {
      this.#pumpScheduled = false;
      this.#pump();
    });
  }

  #pump(): void {
    const limit = this.#pool.threads * BATCHES_PER_THREAD;
    const parts = Math.max(1, Math.min(this.#pool.threads, Math.floor(this.#queue.size / MIN_SPLIT)));
    const size = Math.min(MAX_BATCH, Math.ceil(this.#queue.size / parts));
    while (this.#queue.size > 0 && this.#batchesInFlight < limit) {
      const jobs: QueuedJob[] = [];
      for (let i = Math.min(size, this.#queue.size); i > 0; i--) {
        const job = this.#queue.shift() as QueuedJob;
        jobs.push(job);
        this.#move(job.id, 'queued', 'running');
      }
      this.#shared?.started(jobs.map((job) => job.id));
      this.#batchesInFlight++;
      this.#pool
        .run<BatchPayload, BatchOutcome[]>(encodeBatch(jobs))
        .then(
          (outcomes) => {
            for (const [i, job] of jobs.entries())
              this.#finish(job, outcomes[i] ?? { status: 'error', reason: 'worker returned no outcome' });
          },
          (error: unknown) => {
            const reason = `worker failed: ${messageOf(error)}`;
            for (const job of jobs) void this.#finishFailed(job, reason);
          },
        )
        .finally(() => {
          this.#batchesInFlight--;
          this.#pump();
        });
    }
  }

  /**
   * Ends a job of a batch whose worker failed. Where workers write outcomes themselves, the
   * worker may have saved this job's result before the failure: that result stands, so the
   * store never holds both a result and an error for one job.
   */
  async #finishFailed(job: QueuedJob, reason: string): Promise<void> {
    const saved = this.#store.folder === undefined ? undefined : await this.#store.read(job.id).catch(() => undefined);
    await this.#finish(job, saved?.status === 'done' ? { ...saved, saved: true } : { status: 'error', reason });
  }

  async #finish(job: QueuedJob, outcome: BatchOutcome): Promise<void> {
    let stored: StoredOutcome =
      outcome.status === 'done' ? { status: 'done', json: outcome.json } : { status: 'error', reason: outcome.reason };
    try {
      if (!outcome.saved) await this.#store.save(job.id, stored);
    } catch (error) {
      stored = {
        status: 'error',
        reason: `could not persist the outcome: ${messageOf(error)}`,
      };
      await this.#store
        .save(job.id, stored)
        .catch(() => this.#unsaved.set(job.id, (stored as { reason: string }).reason));
    }
    this.#recent.set(job.id, stored);
    if (this.#recent.size > RECENT_OUTCOMES) this.#recent.delete(this.#recent.keys().next().value as number);
    this.#move(job.id, 'running', stored.status);
    // Before the job's end is told: a client that saw it finds only results in the folder.
    if (this.pending() === 0) this.#numbers.rest();
    this.#waiters.wake(job.id);
    const query = QUERY_NAMES[job.query];
    try {
      // Only an adopted job whose description named no query has none to report.
      if (query !== undefined) {
        this.emit('job', {
          id: formatJobId(job.id),
          query,
          status: stored.status,
          ...(stored.status === 'error' ? { reason: stored.reason } : {}),
          durationMs: performance.now() - job.submittedAt,
        });
      }
    } finally {
      // A listener that throws is its own bug (and surfaces as one); the drain still completes.
      this.#checkDrained();
    }
  }

  #move(id: number, from: JobStatus, to: JobStatus): void {
    this.#statuses.set(id, STATUS_CODE[to]);
    this.#counts[from]--;
    this.#counts[to]++;
  }
}
