import type { Columns } from './dataset';

// Sums of finite values overflow only near the largest double (about 1.8e308). Scaled by
// 2^-64, a sum of up to 2^32 rows stays finite, and since scaling by a power of two is exact,
// every rounding of the sum is the one an unbounded exponent would give.
const OVERFLOW_SCALE = 2 ** -64;

/** Growable sums and counts for aggregate slots found while scanning rows. */
class Accumulator {
  readonly slotOf = new Map<number, number>();
  readonly sum: number[] = [];
  readonly count: number[] = [];

  constructor(private readonly scale: number) {}

  add(key: number, value: number): number {
    let slot = this.slotOf.get(key);
    if (slot === undefined) {
      slot = this.sum.length;
      this.slotOf.set(key, slot);
      this.sum.push(value);
      this.count.push(1);
    } else {
      this.sum[slot] += value;
      this.count[slot]++;
    }
    return slot;
  }

  mean(slot: number): number {
    return (this.sum[slot] as number) / (this.count[slot] as number) / this.scale;
  }
}

/**
 * The rows of a file summed per question, per cell (question, state: key
 * `question × states + state`) and per group (cell, category, stratum), with what each
 * group is, recorded as it is first seen. Slots are numbered in order of first appearance.
 */
export interface RowSums {
  /** The mean of the rows of question `q`, summed in row order (the order a plain reference sums in). */
  questionMean(q: number): number;
  cells: Accumulator;
  groups: Accumulator;
  groupCell: number[];
  groupCategory: number[];
  groupStratum: number[];
}

function sumScaled(columns: Columns, scale: number): RowSums & { finite: boolean } {
  const { questions, states, categories, strata } = columns.dictionaries;
  const { length: n, question, state, category, stratum, value } = columns;
  const questionSum = new Float64Array(questions.length);
  const questionCount = new Float64Array(questions.length);
  const cells = new Accumulator(scale);
  const groups = new Accumulator(scale);
  const groupCell: number[] = [];
  const groupCategory: number[] = [];
  const groupStratum: number[] = [];
  const noCategory = categories.indexOf('');
  const noStratum = strata.indexOf('');
  const pairs = categories.length * strata.length;
  // A group's key must be an exact integer. `cell * pairs + pair` is, short of a file with
  // hundreds of thousands of distinct categories and as many strata; in such a file the
  // (category, stratum) pairs get dense numbers first, at the cost of a lookup per row.
  const densePairs = Math.min(n, questions.length * states.length) * pairs > Number.MAX_SAFE_INTEGER;
  const pairNumber = new Map<number, number>();
  const denseNumber = (pair: number) => {
    let number = pairNumber.get(pair);
    if (number === undefined) {
      number = pairNumber.size;
      pairNumber.set(pair, number);
    }
    return number;
  };
  for (let i = 0; i < n; i++) {
    const q = question[i] as number;
    const v = (value[i] as number) * scale;
    questionSum[q] += v;
    questionCount[q]++;
    const cell = cells.add(q * states.length + (state[i] as number), v);
    const c = category[i] as number;
    const t = stratum[i] as number;
    if (c === noCategory || t === noStratum) continue;
    const pair = c * strata.length + t;
    const before = groups.sum.length;
    groups.add(densePairs ? cell * n + denseNumber(pair) : cell * pairs + pair, v);
    if (groups.sum.length > before) {
      groupCell.push(cell);
      groupCategory.push(c);
      groupStratum.push(t);
    }
  }
  const finite = [questionSum, cells.sum, groups.sum].every((sums) => sums.every(Number.isFinite));
  return {
    questionMean: (q) => (questionSum[q] as number) / (questionCount[q] as number) / scale,
    cells,
    groups,
    groupCell,
    groupCategory,
    groupStratum,
    finite,
  };
}

/**
 * Sums every counted row of `columns` once. A file whose sums overflow a double is summed
 * again at a scale where they cannot, so every mean of finite values is finite.
 */
export function sumRows(columns: Columns): RowSums {
  const sums = sumScaled(columns, 1);
  return sums.finite ? sums : sumScaled(columns, OVERFLOW_SCALE);
}
