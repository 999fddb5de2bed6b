import type { Columns } from './dataset';

// Sums of finite values overflow only near the largest double (about 1.8e308). Scaled by
// 2^-64, a sum of up to 2^32 rows stays finite, and scaling by a power of two is exact (for
// values above 1e-288 or so), so the sum rounds as it would with an unbounded exponent.
const OVERFLOW_SCALE = 2 ** -64;

/** Growable sums and counts for aggregate slots found while scanning rows. */
class Accumulator {
  readonly slotOf = new Map<number, number>();
  readonly sum: number[] = [];
  readonly count: number[] = [];

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
}

interface Sums {
  sum: ArrayLike<number>;
  count: ArrayLike<number>;
}

/** Every row's value times `scale`, summed per question, per cell and per group. */
function sumScaled(columns: Columns, scale: number) {
  const { questions, states, categories, strata } = columns.dictionaries;
  const { length: n, question, state, category, stratum, value } = columns;
  const questionSum = new Float64Array(questions.length);
  const questionCount = new Float64Array(questions.length);
  const cells = new Accumulator();
  const groups = new Accumulator();
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
  const questionSums: Sums = { sum: questionSum, count: questionCount };
  return { questions: questionSums, cells, groups, groupCell, groupCategory, groupStratum };
}

function allFinite({ sum }: Sums): boolean {
  for (let i = 0; i < sum.length; i++) if (!Number.isFinite(sum[i])) return false;
  return true;
}

/**
 * A file's counted rows summed per question, per cell (question, state; key
 * `question × states + state`) and per group (cell, category, stratum), with what each
 * group is, recorded as it is first seen. Slots are numbered in order of first appearance.
 */
export interface RowSums {
  /** The mean of the rows of question `q`, summed in row order (the order a plain reference sums in). */
  questionMean(q: number): number;
  /** The key of each cell slot. */
  cellKeys: number[];
  cellMean(slot: number): number;
  groupMean(slot: number): number;
  groupCell: number[];
  groupCategory: number[];
  groupStratum: number[];
}

/**
 * Sums the counted rows of `columns` per question, cell and group. So that every mean of finite
 * values is finite, a file with a sum beyond the largest double is summed a second time, scaled,
 * and only the sums that overflowed take their mean from that pass: values below 1e-288 or so
 * would lose digits at that scale.
 */
export function sumRows(columns: Columns): RowSums {
  const plain = sumScaled(columns, 1);
  const overflowed = ![plain.questions, plain.cells, plain.groups].every(allFinite);
  const scaled = overflowed ? sumScaled(columns, OVERFLOW_SCALE) : plain;
  const meanOf = (sums: Sums, scaledSums: Sums) => (slot: number) => {
    const sum = sums.sum[slot] as number;
    const count = sums.count[slot] as number;
    return Number.isFinite(sum) ? sum / count : (scaledSums.sum[slot] as number) / count / OVERFLOW_SCALE;
  };
  return {
    questionMean: meanOf(plain.questions, scaled.questions),
    cellKeys: [...plain.cells.slotOf.keys()],
    cellMean: meanOf(plain.cells, scaled.cells),
    groupMean: meanOf(plain.groups, scaled.groups),
    groupCell: plain.groupCell,
    groupCategory: plain.groupCategory,
    groupStratum: plain.groupStratum,
  };
}
