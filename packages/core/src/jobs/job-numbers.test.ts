import { describe, expect, it } from 'vitest';
import { JobNumbers } from './job-numbers';
import type { IssuedIds } from './store';

/** A record that keeps every write, and fails the next ones while `failing` is set. */
function fakeRecord() {
  const writes: Array<number | 'cleared'> = [];
  let failing: Error | undefined;
  const write = (value: number | 'cleared') => {
    if (failing !== undefined) throw failing;
    writes.push(value);
  };
  const issued: IssuedIds = { record: (upTo) => write(upTo), clear: () => write('cleared') };
  return {
    issued,
    writes,
    fail(error: Error | undefined) {
      failing = error;
    },
  };
}

/** Hands out `count` numbers. */
const take = (numbers: JobNumbers, count: number) => Array.from({ length: count }, () => numbers.next());

describe('JobNumbers', () => {
  it('only counts without a record', () => {
    const numbers = new JobNumbers(undefined, () => true);
    numbers.continueAfter(41);
    expect(take(numbers, 3)).toEqual([42, 43, 44]);
    expect(numbers.last).toBe(44);
  });

  it('moves the record 1024 ahead before handing out a number past it: one write per 1024 numbers', () => {
    const record = fakeRecord();
    const numbers = new JobNumbers(record.issued, () => false);
    numbers.continueAfter(7);
    expect(take(numbers, 1025)).toEqual(Array.from({ length: 1025 }, (_, i) => 8 + i));
    expect(record.writes).toEqual([8 + 1024]);
    expect(numbers.next()).toBe(1033);
    expect(record.writes).toEqual([8 + 1024, 1033 + 1024]);
  });

  it('rests at the last number while its job has no stored outcome, and clears once it has one', () => {
    const record = fakeRecord();
    let stored = false;
    const numbers = new JobNumbers(record.issued, () => stored);
    take(numbers, 3);
    numbers.rest();
    expect(record.writes).toEqual([1025, 3]);
    numbers.rest();
    expect(record.writes).toEqual([1025, 3]);
    stored = true;
    numbers.rest();
    numbers.rest();
    expect(record.writes).toEqual([1025, 3, 'cleared']);
    // The next number records again.
    expect(numbers.next()).toBe(4);
    expect(record.writes).toEqual([1025, 3, 'cleared', 4 + 1024]);
  });

  it('refuses a number it cannot record, and hands out that same number once it can', () => {
    const record = fakeRecord();
    const numbers = new JobNumbers(record.issued, () => false);
    record.fail(new Error('disk full'));
    expect(() => numbers.next()).toThrow(
      expect.objectContaining({
        code: 'store_unavailable',
        message: 'store unavailable: cannot record the job ids handed out: disk full',
      }),
    );
    expect(numbers.last).toBe(0);
    record.fail(undefined);
    expect(numbers.next()).toBe(1);
    expect(record.writes).toEqual([1025]);
  });

  it('counts on the lower value after a write that failed to bring the record back', () => {
    const record = fakeRecord();
    const numbers = new JobNumbers(record.issued, () => false);
    numbers.next();
    record.fail(new Error('EIO'));
    numbers.rest();
    record.fail(undefined);
    // The record may hold 1 or 1025: number 2 records first.
    expect(numbers.next()).toBe(2);
    expect(record.writes).toEqual([1025, 2 + 1024]);
  });

  it('leaves the record untouched at rest when no number was handed out', () => {
    const record = fakeRecord();
    const numbers = new JobNumbers(record.issued, () => false);
    numbers.rest();
    expect(record.writes).toEqual([]);
  });

  it('stops at Number.MAX_SAFE_INTEGER in the record, and returns the numbers past it unrecorded', () => {
    const record = fakeRecord();
    const numbers = new JobNumbers(record.issued, () => false);
    numbers.continueAfter(Number.MAX_SAFE_INTEGER - 1);
    expect(numbers.next()).toBe(Number.MAX_SAFE_INTEGER);
    expect(numbers.next()).toBe(Number.MAX_SAFE_INTEGER + 1);
    expect(record.writes).toEqual([Number.MAX_SAFE_INTEGER]);
  });
});
