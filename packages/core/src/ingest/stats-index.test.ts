import { describe, expect, it } from 'vitest';
import { REQUIRED_COLUMNS } from './columns';
import { ColumnsBuilder } from './dataset';
import { StatsIndex } from './stats-index';

function indexOf(rows: string[][]): StatsIndex {
  const builder = new ColumnsBuilder();
  // Rows below list the columns in this order: question, state, value, category, stratum, years.
  builder.addRow([...REQUIRED_COLUMNS]);
  for (const row of rows) builder.addRow([...row, '2015', '2015']);
  return StatsIndex.build(builder.finish(), (question) =>
    question === 'up' ? 'max' : question === 'down' ? 'min' : undefined,
  );
}

describe('StatsIndex.build', () => {
  // States first seen out of name order, with an astral name that sorts after U+E000 by code point.
  const index = indexOf([
    ['down', 'b', '4', 'C', 'y'],
    ['down', '\u{1F600}', '1', 'C', 'x'],
    ['down', '\uE000', '1', '', 'x'],
    ['down', 'a', '2', 'C', 'x'],
    ['up', 'a', '8', 'C', ''],
    ['down', 'b', '6', 'C', 'x'],
    ['down', 'a', '4', 'C', 'x'],
    ['flat', 'z', '5', 'B', 'x'],
  ]);
  const { data } = index;
  const down = index.questionCode('down') as number;
  const cellsOf = (question: number) =>
    Array.from(
      { length: (data.cellOffset[question + 1] as number) - (data.cellOffset[question] as number) },
      (_, i) => {
        const cell = (data.cellOffset[question] as number) + i;
        return [data.states[data.cellState[cell] as number], data.cellMean[cell]];
      },
    );

  it('lays out the cells of a question in code-point order of state names', () => {
    expect(cellsOf(down)).toEqual([
      ['a', 3],
      ['b', 5],
      ['\uE000', 1],
      ['\u{1F600}', 1],
    ]);
  });

  it('orders cells by mean both ways, ties by state name', () => {
    const names = (order: Uint32Array) =>
      Array.from(
        order.subarray(data.cellOffset[down], data.cellOffset[down + 1]),
        (cell) => data.states[data.cellState[cell] as number],
      );
    expect(names(data.byMeanAsc)).toEqual(['\uE000', '\u{1F600}', 'a', 'b']);
    expect(names(data.byMeanDesc)).toEqual(['b', 'a', '\uE000', '\u{1F600}']);
  });

  it('keeps the global mean over rows and the direction per question', () => {
    expect(data.globalMean[down]).toBe(18 / 6);
    expect(Array.from(data.direction)).toEqual(data.questions.map((q) => ({ down: 1, up: 2 })[q] ?? 0));
  });

  it('groups rows with both a category and a stratum by (category, stratum)', () => {
    const a = index.cellOf(down, index.stateCode('a') as number);
    const b = index.cellOf(down, index.stateCode('b') as number);
    const groups = (cell: number) =>
      Array.from({ length: (data.groupOffset[cell + 1] as number) - (data.groupOffset[cell] as number) }, (_, i) => {
        const g = (data.groupOffset[cell] as number) + i;
        return [
          data.categories[data.groupCategory[g] as number],
          data.strata[data.groupStratum[g] as number],
          data.groupMean[g],
        ];
      });
    expect(groups(a)).toEqual([['C', 'x', 3]]);
    expect(groups(b)).toEqual([
      ['C', 'x', 6],
      ['C', 'y', 4],
    ]);
    expect(groups(index.cellOf(down, index.stateCode('\uE000') as number))).toEqual([]);
    expect(groups(index.cellOf(index.questionCode('up') as number, index.stateCode('a') as number))).toEqual([]);
  });

  it('finds cells by question and state, or -1', () => {
    const up = index.questionCode('up') as number;
    expect(index.cellOf(up, index.stateCode('b') as number)).toBe(-1);
    expect(index.cellOf(up, index.stateCode('z') as number)).toBe(-1);
    expect(data.states[data.cellState[index.cellOf(up, index.stateCode('a') as number)] as number]).toBe('a');
    expect(index.questionCode('nope')).toBeUndefined();
    expect(index.stateCode('nope')).toBeUndefined();
  });

  it('keeps its numbers in shared memory, so a copy posted to a worker reads the same arrays', () => {
    for (const array of [
      data.direction,
      data.globalMean,
      data.cellOffset,
      data.cellMean,
      data.byMeanAsc,
      data.groupMean,
      data.stateRank,
    ]) {
      expect(array.buffer).toBeInstanceOf(SharedArrayBuffer);
    }
    const attached = new StatsIndex(structuredClone(data));
    expect(attached.data.cellMean.buffer).not.toBe(data.cellMean.buffer);
    data.cellMean[0] = (data.cellMean[0] as number) + 100;
    expect(attached.data.cellMean[0]).toBe(data.cellMean[0]);
    data.cellMean[0] = (data.cellMean[0] as number) - 100;
    expect(attached.cellOf(down, attached.stateCode('b') as number)).toBe(
      index.cellOf(down, index.stateCode('b') as number),
    );
  });

  it('keeps groups apart in a file with more (cell, category, stratum) keys than doubles hold exactly', () => {
    // 251 001 cells, categories and strata, each row its own: cell * categories * strata
    // reaches 1.6e16, past 2^53, where neighbouring integers share one double. At this
    // side the plain keys of the last cell's two groups do round to the same double.
    const side = 501;
    const rows = Array.from({ length: side * side }, (_, i) => [
      `q${i % side}`,
      `s${Math.floor(i / side)}`,
      '1',
      `c${i}`,
      `t${i}`,
    ]);
    const last = rows[rows.length - 1] as string[];
    // The last cell gets a second group: the same category, the next stratum code.
    rows.push([last[0], last[1], '3', last[3], 'one more'] as string[]);
    const wide = indexOf(rows);
    const cell = wide.cellOf(
      wide.questionCode(last[0] as string) as number,
      wide.stateCode(last[1] as string) as number,
    );
    const first = wide.data.groupOffset[cell] as number;
    expect((wide.data.groupOffset[cell + 1] as number) - first).toBe(2);
    expect([0, 1].map((g) => wide.data.strata[wide.data.groupStratum[first + g] as number])).toEqual([
      'one more',
      last[4],
    ]);
    expect(Array.from(wide.data.groupMean.subarray(first, first + 2))).toEqual([3, 1]);
    expect(wide.data.groupMean.length).toBe(rows.length);
  });

  it('builds an empty index from no rows', () => {
    const empty = indexOf([]);
    expect(empty.data.questions).toEqual([]);
    expect(empty.data.cellOffset).toEqual(new Uint32Array([0]));
  });
});
