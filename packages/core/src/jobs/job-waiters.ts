// The longest delay a Node timer takes: 2^31 - 1 ms, about 24.8 days.
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Callers waiting for jobs to end, by job number: what `settled()` and long-polling
 * `get_results?wait=` hold on to. A wait that times out or is aborted leaves nothing behind.
 */
export class JobWaiters {
  readonly #byJob = new Map<number, Array<(abandoned?: Error) => void>>();

  /**
   * Resolves true when {@link JobWaiters.wake} is called for job `n`, or false once
   * `timeoutMs` pass (beyond about 24.8 days, never) or `signal` aborts first; rejects if
   * {@link JobWaiters.abandon} comes first.
   */
  wait(n: number, timeoutMs = Number.POSITIVE_INFINITY, signal?: AbortSignal): Promise<boolean> {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise((resolve, reject) => {
      const settle = (ended: boolean, abandoned?: Error) => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', giveUp);
        if (abandoned === undefined) resolve(ended);
        else reject(abandoned);
      };
      const onEnd = (abandoned?: Error) => settle(true, abandoned);
      // The caller stopped waiting (time passed, or the client went away): forget this wait,
      // so nothing is kept for, or done on behalf of, a caller who will not read it.
      const giveUp = () => {
        const remaining = (this.#byJob.get(n) ?? []).filter((waiter) => waiter !== onEnd);
        if (remaining.length > 0) this.#byJob.set(n, remaining);
        else this.#byJob.delete(n);
        settle(false);
      };
      // Node fires a longer timer at once (with a warning): a wait that long has no limit.
      const timer = timeoutMs <= MAX_TIMER_MS ? setTimeout(giveUp, timeoutMs) : undefined;
      signal?.addEventListener('abort', giveUp, { once: true });
      const list = this.#byJob.get(n);
      if (list === undefined) this.#byJob.set(n, [onEnd]);
      else list.push(onEnd);
    });
  }

  /** Ends every wait on job `n`. */
  wake(n: number): void {
    const waiters = this.#byJob.get(n);
    this.#byJob.delete(n);
    for (const wake of waiters ?? []) wake();
  }

  /** Ends every wait on every job by rejecting it with `error`: nobody will see those jobs end. */
  abandon(error: Error): void {
    const waiters = [...this.#byJob.values()].flat();
    this.#byJob.clear();
    for (const end of waiters) end(error);
  }

  /** The jobs someone is waiting for. */
  jobs(): number[] {
    return [...this.#byJob.keys()];
  }
}
