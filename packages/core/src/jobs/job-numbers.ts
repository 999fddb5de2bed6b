import { fail, messageOf } from '../errors';
import type { IssuedIds } from './store';

// How far ahead of the number handed out the record is moved: one write per this many jobs,
// and at most this many numbers skipped after a crash under load.
const AHEAD = 1024;
// What the record holds once cleared: nothing beyond what the store's outcomes say.
const CLEARED = 0;

/**
 * Hands out job numbers in order, never past what the store's {@link IssuedIds} record holds,
 * so that a crash cannot make the next run reuse them. The record is moved {@link AHEAD}
 * numbers at a time, so most numbers need no write, and brought back whenever no job is in
 * flight: a crash then skips no number, and an idle results folder holds only results.
 */
export class JobNumbers {
  readonly #issued: IssuedIds | undefined;
  readonly #stored: (id: number) => boolean;
  #last = 0;
  /** What the record holds: numbers up to it may have been handed out. */
  #recorded = CLEARED;

  /**
   * @param issued The store's record; without one (a store that keeps nothing across runs)
   *   numbers are only counted.
   * @param stored Whether the job of a number has its outcome in the store.
   */
  constructor(issued: IssuedIds | undefined, stored: (id: number) => boolean) {
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
    return id;
  }

  /**
   * Brings the record back to what no job in flight needs: none once the last job's outcome is
   * stored (the outcomes then say where numbers continue), else the last number. Call whenever
   * no job is queued or running, before anyone learns that the last one ended. A record that
   * cannot be written stays as it was.
   */
  rest(): void {
    if (this.#issued !== undefined) this.#record(this.#stored(this.#last) ? CLEARED : this.#last);
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
}
