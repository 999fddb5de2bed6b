import { fail } from '../errors';
import { JobWaiters } from './job-waiters';
import type { SharedJobs } from './store';

// How often waits on other instances' jobs ask the shared store.
const POLL_MS = 20;

const closedError = () => fail.runner('shutting_down', 'shut down before the awaited job ended');

/**
 * Waits on jobs that other instances run, seen only through the shared store: one timer
 * asks the store about every such job at once, rather than one poll per waiting caller.
 */
export class RemoteWaits {
  readonly #shared: Pick<SharedJobs, 'statuses'>;
  readonly #waiters = new JobWaiters();
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(shared: Pick<SharedJobs, 'statuses'>) {
    this.#shared = shared;
  }

  /**
   * Resolves true once job `n` has ended anywhere in the service (at once if it has), false
   * for a job the store does not know or when `timeoutMs` pass or `signal` aborts first.
   * Rejects when the store is out of reach at the first ask (later polls that fail just ask
   * again), and with a `shutting_down` error when {@link RemoteWaits.close} comes first.
   */
  async settled(n: number, timeoutMs: number, signal?: AbortSignal): Promise<boolean> {
    const [status] = await this.#shared.statuses([n]);
    if (status === undefined) return false;
    if (status === 'done' || status === 'error') return true;
    if (this.#closed) throw closedError();
    const ended = this.#waiters.wait(n, timeoutMs, signal);
    this.#schedule();
    return ended;
  }

  /** Stops polling, as the runner shuts down, and ends the waits still pending: nothing would wake them. */
  close(): void {
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#waiters.abandon(closedError());
  }

  #schedule(): void {
    if (this.#timer !== undefined) return;
    this.#timer = setTimeout(() => void this.#poll(), POLL_MS);
  }

  async #poll(): Promise<void> {
    const ids = this.#waiters.jobs();
    try {
      const statuses = ids.length > 0 ? await this.#shared.statuses(ids) : [];
      for (const [i, n] of ids.entries()) if (statuses[i] === 'done' || statuses[i] === 'error') this.#waiters.wake(n);
    } catch {
      // The store is out of reach: keep waiting, the next poll asks again.
    }
    this.#timer = undefined;
    if (this.#waiters.jobs().length > 0) this.#schedule();
  }
}
