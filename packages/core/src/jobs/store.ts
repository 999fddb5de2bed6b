/** Where a job is: waiting, on a worker, finished with a result, or failed. */
export type JobStatus = 'queued' | 'running' | 'done' | 'error';

/** What a store keeps of a finished job: its result as JSON text, or why it failed. */
export type StoredOutcome = { status: 'done'; json: string } | { status: 'error'; reason: string };

/** What a store already held when it was opened. */
export interface RecoveredJobs {
  /** The highest job number the store knows; new ids continue after it. */
  lastId: number;
  /** Finished jobs found in the store, by job number. */
  finished: Iterable<readonly [id: number, status: StoredOutcome['status']]>;
}

/** A slice of the job list in id order: skip `offset` jobs, then take at most `limit`. */
export interface JobPage {
  offset: number;
  limit: number;
}

/** A job a dead instance accepted and never finished, handed over to be run here. */
export interface AdoptedJob {
  id: number;
  /** The submission as the accepting runner described it to {@link SharedJobs.accept}. */
  spec: string;
}

/**
 * State that several runners (server instances) share through one store, so that they act
 * as one service: ids come from one counter, and every job's status, the job list and the
 * pending count are visible to all of them. Each runner still runs the jobs it accepted.
 */
export interface SharedJobs {
  /**
   * Issues the next job number from the shared counter and records the job as queued by
   * this runner. `spec` is kept so another runner can take the job over if this one dies.
   * Rejects with a `store_unavailable` {@link LeStatsRunnerError} when the state is out of reach.
   */
  accept(spec: string): Promise<number>;
  /** Records that jobs went to a worker. Best effort: a lost mark only leaves them `queued`. */
  started(ids: readonly number[]): void;
  /** The status of each job across the service; undefined for a job never issued (or expired). */
  statuses(ids: readonly number[]): Promise<Array<JobStatus | undefined>>;
  /** Jobs of the whole service in id order. */
  list(page: JobPage): Promise<Array<[id: number, status: JobStatus]>>;
  /** Jobs queued or running anywhere in the service. */
  pendingCount(): Promise<number>;
  /** Takes over at most `max` jobs left by dead instances; the caller must run and save them. */
  adopt(max: number): Promise<AdoptedJob[]>;
  /** `listener` is called whenever jobs left by a dead instance wait for {@link SharedJobs.adopt}. */
  onOrphans(listener: () => void): void;
}

/**
 * A store's record of how far job numbers were handed out, kept across runs: after a crash,
 * jobs accepted but never finished leave nothing else behind, and without it the next run
 * would give their ids to other jobs. A runner hands out no number above the last one
 * recorded. While a record is kept, {@link ResultStore.open} reports at least that number as
 * `lastId`. Synchronous, so a submission never waits on it: the runner writes it once per
 * thousand jobs, and whenever no job is left in flight; both throw when the store cannot.
 */
export interface IssuedIds {
  /** Records that numbers up to `upTo` may have been handed out. */
  record(upTo: number): void;
  /** Every number handed out has its outcome in the store, which alone now says where numbers continue. */
  clear(): void;
}

/**
 * Where a {@link JobRunner} persists outcomes. Job numbers are the `N` of `job_id_N`.
 * A store owns its bytes; the runner owns ids and statuses, unless the store is
 * {@link ResultStore.shared}: then ids and statuses of the service live in the store, and
 * {@link ResultStore.save} also publishes the job's final status with its outcome, in one step.
 */
export interface ResultStore {
  /** Prepares the store (creates folders, connects) and reports what it already holds. */
  open(): Promise<RecoveredJobs>;
  /** Persists one finished job; after it resolves, {@link ResultStore.read} returns the outcome. */
  save(id: number, outcome: StoredOutcome): Promise<void>;
  /** The outcome of a finished job, or undefined when the store has none. */
  read(id: number): Promise<StoredOutcome | undefined>;
  /** Present when the store keeps how far job numbers were handed out (see {@link IssuedIds}). */
  readonly issued?: IssuedIds;
  /** Flushes and releases resources; called once, after the last save. */
  close(): Promise<void>;
  /** Present when several runners share this store's ids and statuses (see {@link SharedJobs}). */
  readonly shared?: SharedJobs;
  /**
   * Present when outcomes are the files of this folder, as {@link fileStore} writes them:
   * a runner then has each worker thread write the outcomes of the jobs it ran, right where
   * they were computed, and calls {@link ResultStore.save} only for outcomes no worker wrote
   * (a worker that died, a file that could not be written).
   */
  readonly folder?: string;
}
