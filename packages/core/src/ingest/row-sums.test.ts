import { describe, expect, it } from 'vitest';
import { REQUIRED_COLUMNS } from './columns';
import { type Columns, ColumnsBuilder } from './dataset';
import { type RowSums, sumRows } from './row-sums';

function columnsOf(rows: string[][]): Columns {
  const builder = new ColumnsBuilder();
  // Rows below list the columns in this order: question, state, value, category, stratum, years.
  builder.addRow([...REQUIRED_COLUMNS]);
  for (const row of rows) builder.addRow([...row, '2015', '2015']);
  return builder.finish();
}

const cellMeans = (sums: RowSums) => sums.cellKeys.map((_, slot) => sums.cellMean(slot));
const groupMeans = (sums: RowSums) => sums.groupCell.map((_, slot) => sums.groupMean(slot));

describe('sumRows', () => {
  it('sums per question, per cell and per group, slots in order of first appearance', () => {
    const sums = sumRows(
      columnsOf([
        ['q', 'b', '1', 'C', 'x'],
        ['q', 'a', '2', 'C', 'x'],
        ['q', 'b', '4', '', 'x'],
        ['r', 'b', '8', 'C', 'y'],
        ['q', 'b', '6', 'C', 'x'],
      ]),
    );
    expect(sums.questionMean(0)).toBe(13 / 4);
    expect(sums.questionMean(1)).toBe(8);
    // Questions and states are coded in order of appearance: q = 0, r = 1; b = 0, a = 1.
    expect(sums.cellKeys).toEqual([0, 1, 2]);
    expect(cellMeans(sums)).toEqual([11 / 3, 2, 8]);
    // The row without a category counts for its cell and question, in no group.
    expect(groupMeans(sums)).toEqual([7 / 2, 2, 8]);
    expect(sums.groupCell).toEqual([0, 1, 2]);
  });

  it('gives the finite mean of values whose plain sum overflows a double', () => {
    const max = Number.MAX_VALUE;
    const sums = sumRows(
      columnsOf([
        ['q', 'a', String(max), 'C', 'x'],
        ['q', 'a', String(max), 'C', 'x'],
        ['q', 'b', '1e308', 'C', 'x'],
        ['q', 'b', '1e308', 'C', 'x'],
        ['q', 'b', '-1e308', 'C', 'x'],
        ['q', 'c', '-1.5e308', 'C', 'x'],
        ['q', 'c', '-1.5e308', 'C', 'x'],
      ]),
    );
    expect(cellMeans(sums)).toEqual([max, 1e308 / 3, -1.5e308]);
    expect(groupMeans(sums)).toEqual([max, 1e308 / 3, -1.5e308]);
    // (2 max + 1e308 - 1e308 - 3e308) / 7, where max - 1e308 is exact (Sterbenz).
    const exact = ((max - 1e308) * 2) / 7;
    expect(Math.abs(sums.questionMean(0) - exact) / exact).toBeLessThan(1e-15);
  });

  it('gives finite means where only groups, or only cells, overflow and question sums do not', () => {
    // Signs alternate, so the running sums stay finite above the level that overflows.
    const groupsOnly = sumRows(
      columnsOf([
        ['q', 'a', '1.5e308', 'C', 'x'],
        ['q', 'a', '-1.5e308', 'C', 'y'],
        ['q', 'a', '1.5e308', 'C', 'x'],
        ['q', 'a', '-1.5e308', 'C', 'y'],
      ]),
    );
    expect(groupsOnly.questionMean(0)).toBe(0);
    expect(cellMeans(groupsOnly)).toEqual([0]);
    expect(groupMeans(groupsOnly)).toEqual([1.5e308, -1.5e308]);
    const cellsOnly = sumRows(
      columnsOf([
        ['q', 'a', '1.5e308', '', ''],
        ['q', 'b', '-1.5e308', '', ''],
        ['q', 'a', '1.5e308', '', ''],
        ['q', 'b', '-1.5e308', '', ''],
      ]),
    );
    expect(cellsOnly.questionMean(0)).toBe(0);
    expect(cellMeans(cellsOnly)).toEqual([1.5e308, -1.5e308]);
  });

  it('keeps the plain sums that did not overflow, tiny values included', () => {
    const rows = [
      ...Array.from({ length: 200 }, (_, i) => ['q', `s${i % 7}`, String((i * 7.31) % 97), 'C', `x${i % 3}`]),
      ['tiny', 'a', '1e-310', 'C', 'x'],
      ['tiny', 'a', '3e-300', 'C', 'x'],
    ];
    const plain = sumRows(columnsOf(rows));
    const withHuge = sumRows(
      columnsOf([...rows, ['huge', 'a', '1.7e308', 'C', 'x'], ['huge', 'a', '1.7e308', 'C', 'x']]),
    );
    expect(cellMeans(withHuge).slice(0, -1)).toEqual(cellMeans(plain));
    expect(groupMeans(withHuge).slice(0, -1)).toEqual(groupMeans(plain));
    expect([0, 1].map(withHuge.questionMean)).toEqual([0, 1].map(plain.questionMean));
    expect(cellMeans(withHuge).at(-1)).toBe(1.7e308);
    expect(withHuge.questionMean(2)).toBe(1.7e308);
  });
});
