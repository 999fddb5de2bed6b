import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { JobQueue, type QueuedJob } from './job-queue';

const job = (id: number): QueuedJob => ({
  id,
  query: id % 9,
  question: id % 7,
  cell: id % 11 === 0 ? -1 : id,
  submittedAt: id / 3,
});

describe('JobQueue', () => {
  it('is empty at first and shifts undefined when empty', () => {
    const queue = new JobQueue();
    expect(queue.size).toBe(0);
    expect(queue.shift()).toBeUndefined();
  });

  it('keeps every field of a job', () => {
    const queue = new JobQueue();
    const original = { id: 2 ** 40 + 1, query: 8, question: 3, cell: -1, submittedAt: 1234.5678 };
    queue.push(original);
    expect(queue.shift()).toEqual(original);
  });

  it('is FIFO when it grows while its contents wrap around the end of the ring', () => {
    const queue = new JobQueue();
    let next = 1;
    let expected = 1;
    // Move the head into the middle of the first ring, then push past its capacity.
    for (let i = 0; i < 1000; i++) queue.push(job(next++));
    for (let i = 0; i < 700; i++) expect(queue.shift()).toEqual(job(expected++));
    for (let i = 0; i < 5000; i++) queue.push(job(next++));
    expect(queue.size).toBe(next - expected);
    while (queue.size > 0) expect(queue.shift()).toEqual(job(expected++));
    expect(expected).toBe(next);
  });

  it('behaves like an array for any mix of pushes and shifts', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), fc.integer({ min: 1, max: 1500 })), { maxLength: 12 }), (steps) => {
        const queue = new JobQueue();
        const model: QueuedJob[] = [];
        const shifted: Array<QueuedJob | undefined> = [];
        const expected: Array<QueuedJob | undefined> = [];
        let next = 1;
        for (const [push, count] of steps) {
          for (let i = 0; i < count; i++) {
            if (push) {
              queue.push(job(next));
              model.push(job(next++));
            } else {
              shifted.push(queue.shift());
              expected.push(model.shift());
            }
          }
          expect(queue.size).toBe(model.length);
        }
        expect(shifted).toEqual(expected);
      }),
      { seed: 7, numRuns: 40 },
    );
  });
});
