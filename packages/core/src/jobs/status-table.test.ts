import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { StatusTable } from './status-table';

describe('StatusTable', () => {
  it('reads 0 for ids never set', () => {
    const table = new StatusTable();
    expect(table.get(1)).toBe(0);
    expect(table.get(Number.MAX_SAFE_INTEGER)).toBe(0);
    expect([...table.entries()]).toEqual([]);
  });

  it('keeps the last code set per id and lists known ids in ascending order across pages', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 300_000 }), fc.integer({ min: 1, max: 4 }))),
        (writes) => {
          const table = new StatusTable();
          const model = new Map<number, number>();
          for (const [id, code] of writes) {
            table.set(id, code);
            model.set(id, code);
          }
          for (const [id, code] of model) expect(table.get(id)).toBe(code);
          expect([...table.entries()]).toEqual([...model].sort((a, b) => a[0] - b[0]));
        },
      ),
      { seed: 4, numRuns: 60 },
    );
  });

  it('stores sparse huge ids (as recovered from a stray file) in one page each', () => {
    const table = new StatusTable();
    const huge = [Number.MAX_SAFE_INTEGER, 2 ** 52, 10 ** 15, 7];
    const before = process.memoryUsage().arrayBuffers;
    for (const id of huge) table.set(id, 3);
    const grown = process.memoryUsage().arrayBuffers - before;
    // Four 64 KiB pages; one array spanning the ids would need petabytes.
    expect(grown).toBeLessThan(4 * 65_536 + 65_536);
    for (const id of huge) expect(table.get(id)).toBe(3);
    expect(table.get(Number.MAX_SAFE_INTEGER - 1)).toBe(0);
    expect([...table.entries()].map(([id]) => id)).toEqual([...huge].sort((a, b) => a - b));
  });
});
