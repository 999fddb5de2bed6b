import { describe, expect, it } from 'vitest';
import { decodeBatch, encodeBatch } from './batch';

describe('batch encoding', () => {
  it('packs jobs into one typed array and reads them back in order', () => {
    const jobs = [
      { id: 1, query: 0, question: 3, cell: 0 },
      { id: 2 ** 40, query: 8, question: 17, cell: 52 },
      { id: 7, query: 4, question: 0, cell: 12 },
    ];
    const payload = encodeBatch(jobs);
    expect(payload).toBeInstanceOf(Float64Array);
    expect(payload.length).toBe(12);
    expect([...decodeBatch(payload)]).toEqual(jobs);
  });

  it('encodes no jobs as an empty batch', () => {
    expect([...decodeBatch(encodeBatch([]))]).toEqual([]);
  });
});
