/** What a store keeps of a finished job: its result as JSON text, or why it failed. */
export type StoredOutcome = { status: 'done'; json: string } | { status: 'error'; reason: string };

/** What a store already held when it was opened. */
export interface RecoveredJobs {
  /** The highest job number the store knows; new ids continue after it. */
  lastId: number;
  /** Finished jobs found in the store, by job number. */
  finished: Iterable<readonly [id: number, status: StoredOutcome['status']]>;
}

/**
 * Where a {@link JobRunner} persists outcomes. Job numbers are the `N` of `job_id_N`.
 * A store owns its bytes; the runner owns ids and statuses.
 */
export interface ResultStore {
  /** Prepares the store (creates folders, connects) and reports what it already holds. */
  open(): Promise<RecoveredJobs>;
  /** Persists one finished job; after it resolves, {@link ResultStore.read} returns the outcome. */
  save(id: number, outcome: StoredOutcome): Promise<void>;
  /** The outcome of a finished job, or undefined when the store has none. */
  read(id: number): Promise<StoredOutcome | undefined>;
  /** Flushes and releases resources; called once, after the last save. */
  close(): Promise<void>;
}
