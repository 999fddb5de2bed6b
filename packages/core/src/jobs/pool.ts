import { availableParallelism } from 'node:os';
import type { ResourceLimits } from 'node:worker_threads';
import { threadId } from 'node:worker_threads';
import { Tinypool } from 'tinypool';
import { shown } from '../errors';

/** Options of a {@link WorkerPool}. */
export interface WorkerPoolOptions {
  /** The worker module (see {@link serveTasks}). */
  filename: string | URL;
  threads: number;
  /** Given to every worker once, at start-up (SharedArrayBuffers in it are shared, not copied). */
  workerData: unknown;
  resourceLimits?: ResourceLimits;
}

/** A task as the worker sees it: its payload and the board slot it reports on. */
export interface PoolTask<T> {
  slot: number;
  payload: T;
}

// One slot per task in flight; far more than a pool with a bounded number of batches needs.
const BOARD_SLOTS = 4096;

// Far more threads than cores only costs memory and start-up time.
const MAX_THREADS = 1024;

/**
 * The worker threads a `JobRunner` started with `threads` uses: that option, else
 * `TP_NUM_OF_THREADS` (unset or blank means unset), else the machine's parallelism. Throws
 * a RangeError for a count that is not a whole number from 1 to 1024, so a caller can check
 * the setting before any data is read.
 */
export function resolveThreads(threads?: number): number {
  const fromEnv = process.env.TP_NUM_OF_THREADS?.trim() ?? '';
  if (threads === undefined && fromEnv !== '') {
    if (!/^\d+$/.test(fromEnv) || !inRange(Number(fromEnv)))
      throw new RangeError(
        `TP_NUM_OF_THREADS must be a whole number from 1 to ${MAX_THREADS}, got ${JSON.stringify(fromEnv)}`,
      );
    return Number(fromEnv);
  }
  const chosen = threads ?? availableParallelism();
  if (!inRange(chosen))
    throw new RangeError(`threads must be a whole number from 1 to ${MAX_THREADS}, got ${shown(chosen)}`);
  return chosen;
}

const inRange = (n: number) => Number.isInteger(n) && n >= 1 && n <= MAX_THREADS;

/**
 * Wraps a task handler in a worker module so the pool can tell which task a dying worker
 * was running: the worker writes its thread id on the shared board while it works.
 */
export function serveTasks<T, R>(board: Int32Array, handler: (payload: T) => R): (task: PoolTask<T>) => R {
  return ({ slot, payload }) => {
    Atomics.store(board, slot, threadId);
    try {
      return handler(payload);
    } finally {
      Atomics.store(board, slot, 0);
    }
  };
}

type PoolWorker = Tinypool['threads'][number] & {
  thread?: { removeListener(event: string, listener: (...args: unknown[]) => void): unknown };
  removeListener?: (event: string, listener: (...args: unknown[]) => void) => unknown;
};

// tinypool's destroy() waits for each worker with `events.once(worker, 'exit')`, whose error
// path calls `worker.removeListener`, a method tinypool's worker wrapper lacks: a worker that
// fails while the pool closes would throw a TypeError out of its own 'error' event. Only
// destroy() waits so, and it takes the workers of that moment: they are patched just before.
function addRemoveListener(worker: PoolWorker): void {
  const { thread } = worker;
  if (worker.removeListener === undefined && thread !== undefined)
    worker.removeListener = (event, listener) => thread.removeListener(event, listener);
}

interface InFlight {
  controller: AbortController;
  /** Why the pool gave up on the task, when it did. */
  failure?: Error;
}

/**
 * tinypool with one guard it lacks: a worker that exits mid-task (`process.exit()`)
 * leaves tinypool's task pending forever. The pool watches every worker's exit, finds
 * the task the worker was running on the shared board, and rejects it; tinypool then
 * replaces the worker. Worker errors and out-of-memory deaths already reject in tinypool.
 */
export class WorkerPool {
  readonly threads: number;
  readonly #pool: Tinypool;
  readonly #board = new Int32Array(new SharedArrayBuffer(BOARD_SLOTS * Int32Array.BYTES_PER_ELEMENT));
  readonly #inFlight = new Map<number, InFlight>();
  readonly #freeSlots: number[] = Array.from({ length: BOARD_SLOTS }, (_, i) => i);
  readonly #watched = new WeakSet<object>();
  #closing = false;

  constructor(options: WorkerPoolOptions) {
    this.threads = options.threads;
    this.#pool = new Tinypool({
      filename: options.filename instanceof URL ? options.filename.href : options.filename,
      minThreads: options.threads,
      maxThreads: options.threads,
      workerData: { board: this.#board, data: options.workerData },
      resourceLimits: options.resourceLimits,
    });
    // tinypool emits 'error' for a worker that fails with no task of its own, above all one
    // that cannot even load its module: the tasks waiting on it would never run, so fail them.
    this.#pool.on('error', (error: unknown) => this.#failAll(error));
    this.#watchWorkers();
  }

  /** Runs one task on a worker; rejects if the task throws or its worker dies. */
  async run<T, R>(payload: T): Promise<R> {
    const slot = this.#freeSlots.pop();
    if (slot === undefined) throw new Error('too many tasks in flight');
    const entry: InFlight = { controller: new AbortController() };
    this.#inFlight.set(slot, entry);
    try {
      const task: PoolTask<T> = { slot, payload };
      const result = this.#pool.run(task, { signal: entry.controller.signal }) as Promise<R>;
      this.#watchWorkers();
      return await result;
    } catch (error) {
      throw entry.failure ?? error;
    } finally {
      Atomics.store(this.#board, slot, 0);
      this.#inFlight.delete(slot);
      this.#freeSlots.push(slot);
    }
  }

  /** Stops the workers; call after every task has settled. */
  async destroy(): Promise<void> {
    this.#closing = true;
    for (const worker of this.#pool.threads) addRemoveListener(worker);
    // A worker that fails as it stops (one that cannot load its module) fails tinypool's wait
    // for its exit; its tasks have failed already, and every worker is stopped all the same.
    await this.#pool.destroy().catch(() => {});
  }

  #watchWorkers(): void {
    for (const worker of this.#pool.threads) {
      if (this.#watched.has(worker)) continue;
      this.#watched.add(worker);
      const id = worker.threadId;
      // Deferred so that tasks tinypool already settled (error, out of memory) are gone first.
      worker.once('exit', () => setImmediate(() => this.#onExit(id)));
    }
  }

  #onExit(deadThread: number): void {
    if (this.#closing) return;
    for (const [slot, entry] of this.#inFlight) {
      if (Atomics.load(this.#board, slot) !== deadThread) continue;
      entry.failure = new Error('worker exited while running the task');
      entry.controller.abort();
    }
    this.#watchWorkers();
  }

  #failAll(error: unknown): void {
    for (const entry of this.#inFlight.values()) {
      // The worker's own error, as tinypool gives the tasks it fails itself.
      entry.failure = error instanceof Error ? error : new Error(String(error));
      entry.controller.abort();
    }
  }
}
