import { fail, messageOf } from '../errors';
import type { IssuedIds } from './store';

// How far ahead of the number handed out the record is moved: one write per this many jobs,
// and at most this many numbers skipped after a crash under load.
const AHEAD = 1024;
// Checked this often: once a check finds no number handed out since the one before, the record
// comes back to the last number, and goes once that job's outcome is stored. A crash while idle
// then skips no number, and an idle results folder holds only results.
const IDLE_MS = 5;
// What the record holds once cleared: nothing beyond what the store's outcomes say.
const CLEARED = 0;

/**
 * Hands out job numbers in order, never past what the store's {@link IssuedIds} record holds,
 * so that a crash cannot make the next run reuse them. The record is moved {@link AHEAD}
 * numbers at a time, so most numbers need no write, and brought back once the runner is idle.
 */
export class JobNumbers {
  readonly #issued: IssuedIds | undefined;
  readonly #stored: (id: number) => boolean | undefined;
  #last = 0;
  /** What the record holds: numbers up to it may have been handed out. */
  #recorded = CLEARED;
  #idle: NodeJS.Timeout | undefined;
  #lastAtIdleCheck = 0;
  #closed = false;

  /**
   * @param issued The store's record; without one (a store that keeps nothing across runs)
   *   numbers are only counted.
   * @param stored Whether the job of a number has its outcome in the store; undefined while
   *   it may still get one (queued or running).
   */
  constructor(issued: IssuedIds | undefined, stored: (id: number) => boolean | undefined) {
    this.#issued = issued;
    this.#stored = stored;
  }

  /** The last number handed out (or recovered). */
  get last(): number {
    return this.#last;
  }

  /** Continues after `last`, the highest number the store knows: its outcomes or its record hold it. */
  continueAfter(last: number): void {
    this.#last = Math.max(this.#last, last);
    this.#recorded = this.#last;
  }

  /**
   * The next number. Throws a `store_unavailable` {@link LeStatsRunnerError} when the record
   * cannot be moved past it; the number is then not used, and the next call tries it again.
   * Numbers beyond `Number.MAX_SAFE_INTEGER` are returned unrecorded, for the caller to refuse.
   */
  next(): number {
    const id = this.#last + 1;
    if (this.#issued !== undefined && id <= Number.MAX_SAFE_INTEGER && id > this.#recorded) {
      const failure = this.#record(Math.min(id + AHEAD, Number.MAX_SAFE_INTEGER));
      if (failure !== undefined) {
        throw fail.runner(
          'store_unavailable',
          `store unavailable: cannot record the job ids handed out: ${messageOf(failure)}`,
        );
      }
    }
    this.#last = id;
    if (this.#issued !== undefined) this.#watchIdle();
    return id;
  }

  /**
   * Brings the record back as when idle, and moves it no more. Call once every job handed
   * out has finished, before the store closes. A record that cannot be written stays as it was.
   */
  close(): void {
    clearTimeout(this.#idle);
    this.#closed = true;
    if (this.#issued !== undefined) this.#record(this.#resting() ?? this.#last);
  }

  // Moves the record; returns why the store could not. What a failed write left is unknown,
  // so the lower of the two values is counted on: the next number writes again.
  #record(upTo: number): unknown {
    if (upTo === this.#recorded) return undefined;
    const issued = this.#issued as IssuedIds;
    try {
      if (upTo === CLEARED) issued.clear();
      else issued.record(upTo);
      this.#recorded = upTo;
      return undefined;
    } catch (error) {
      this.#recorded = Math.min(this.#recorded, upTo);
      return error;
    }
  }

  // The record a runner with no number to hand out needs: none beyond the outcomes once the
  // last job has one, else the last number; undefined while that job may still get one.
  #resting(): number | undefined {
    const stored = this.#stored(this.#last);
    return stored === undefined ? undefined : stored ? CLEARED : this.#last;
  }

  #watchIdle(): void {
    if (this.#idle !== undefined || this.#closed) return;
    this.#lastAtIdleCheck = this.#last;
    this.#idle = setTimeout(() => {
      this.#idle = undefined;
      if (this.#last !== this.#lastAtIdleCheck) return this.#watchIdle();
      const resting = this.#resting();
      this.#record(resting ?? this.#last);
      // Watched until the last job ends, which decides what the record comes back to.
      if (resting === undefined) this.#watchIdle();
    }, IDLE_MS);
    // Never the reason a process stays alive.
    this.#idle.unref();
  }
}
