/**
 * Callers waiting for jobs to end, by job number: what `settled()` and long-polling
 * `get_results?wait=` hold on to. A wait that times out leaves nothing behind.
 */
export class JobWaiters {
  readonly #byJob = new Map<number, Array<(abandoned?: Error) => void>>();

  /**
   * Resolves true when {@link JobWaiters.wake} is called for job `n`, or false once
   * `timeoutMs` pass first; rejects if {@link JobWaiters.abandon} comes first.
   */
  wait(n: number, timeoutMs = Number.POSITIVE_INFINITY): Promise<boolean> {
    return new Promise((resolve, reject) => {
      const onEnd = (abandoned?: Error) => {
        clearTimeout(timer);
        if (abandoned === undefined) resolve(true);
        else reject(abandoned);
      };
      const timer = Number.isFinite(timeoutMs)
        ? setTimeout(() => {
            const remaining = (this.#byJob.get(n) ?? []).filter((waiter) => waiter !== onEnd);
            if (remaining.length > 0) this.#byJob.set(n, remaining);
            else this.#byJob.delete(n);
            resolve(false);
          }, timeoutMs)
        : undefined;
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
