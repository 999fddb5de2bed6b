import { compareCodePoints } from './code-points';
import type { Columns } from './dataset';

/** Which end of a question's ranking is best; `null` when the question has no direction. */
export type RankingDirection = 'min' | 'max';

const DIRECTION_CODE = { min: 1, max: 2 } as const;

/**
 * Everything the queries read, as plain strings and typed arrays over
 * SharedArrayBuffers: posting it to a worker shares the numbers instead of copying them.
 *
 * Cells are (question, state) pairs with rows; a question's cells are contiguous and in
 * state-name order. Groups are (cell, category, stratum) triples, contiguous per cell and
 * in (category, stratum) order.
 */
export interface StatsData {
  questions: readonly string[];
  states: readonly string[];
  categories: readonly string[];
  strata: readonly string[];
  /** Per question: 0 no ranking direction, 1 best is min, 2 best is max. */
  direction: Uint8Array;
  /** Per question: the mean over all its rows. */
  globalMean: Float64Array;
  /** Cells of question q are `cellOffset[q] .. cellOffset[q + 1]`. */
  cellOffset: Uint32Array;
  cellState: Uint32Array;
  cellMean: Float64Array;
  /** Per question range: cell indices by ascending mean, ties by state name. */
  byMeanAsc: Uint32Array;
  /** Per question range: cell indices by descending mean, ties by state name. */
  byMeanDesc: Uint32Array;
  /** Groups of cell c are `groupOffset[c] .. groupOffset[c + 1]`. */
  groupOffset: Uint32Array;
  groupCategory: Uint32Array;
  groupStratum: Uint32Array;
  groupMean: Float64Array;
  /** Per state code: its position in code-point order of names. */
  stateRank: Uint32Array;
}

interface SharedArrayType<T> {
  new (buffer: SharedArrayBuffer, byteOffset: number, length: number): T;
  readonly BYTES_PER_ELEMENT: number;
}

function shared<T>(Type: SharedArrayType<T>, length: number): T {
  return new Type(new SharedArrayBuffer(Math.max(1, length) * Type.BYTES_PER_ELEMENT), 0, length);
}

function ranks(values: readonly string[]): Uint32Array {
  const order = values.map((_, i) => i).sort((a, b) => compareCodePoints(values[a] as string, values[b] as string));
  const rank = new Uint32Array(values.length);
  order.forEach((code, position) => {
    rank[code] = position;
  });
  return rank;
}

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

  mean(slot: number): number {
    return (this.sum[slot] as number) / (this.count[slot] as number);
  }
}

/**
 * The aggregates every query needs, computed once from the columns: means per question,
 * per (question, state) and per (question, state, category, stratum), with their orders.
 * No query scans rows afterwards.
 */
export class StatsIndex {
  readonly data: StatsData;
  readonly #questionCode: Map<string, number>;
  readonly #stateCode: Map<string, number>;

  /** Attaches to already built data (for example, in a worker thread). */
  constructor(data: StatsData) {
    this.data = data;
    this.#questionCode = new Map(data.questions.map((q, i) => [q, i]));
    this.#stateCode = new Map(data.states.map((s, i) => [s, i]));
  }

  /** The code of a question with counted rows. */
  questionCode(question: string): number | undefined {
    return this.#questionCode.get(question);
  }

  /** The code of a state with counted rows (in any question). */
  stateCode(state: string): number | undefined {
    return this.#stateCode.get(state);
  }

  /** The cell of (question, state), or -1 when that state has no rows for that question. */
  cellOf(question: number, state: number): number {
    const { cellOffset, cellState, stateRank } = this.data;
    const target = stateRank[state] as number;
    let lo = cellOffset[question] as number;
    let hi = (cellOffset[question + 1] as number) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const rank = stateRank[cellState[mid] as number] as number;
      if (rank === target) return mid;
      if (rank < target) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Builds the index from counted rows; `directionOf` gives each question's ranking direction. */
  static build(columns: Columns, directionOf: (question: string) => RankingDirection | undefined): StatsIndex {
    const { questions, states, categories, strata } = columns.dictionaries;
    const { length: n, question, state, category, stratum, value } = columns;
    const stateRank = ranks(states);
    const categoryRank = ranks(categories);
    const stratumRank = ranks(strata);

    // Row order matters for the global means: it is the order a plain reference sums in.
    const questionSum = new Float64Array(questions.length);
    const questionCount = new Float64Array(questions.length);
    const cells = new Accumulator();
    const groups = new Accumulator();
    // What each group is, recorded as it is first seen.
    const groupCell: number[] = [];
    const groupCategoryOf: number[] = [];
    const groupStratumOf: number[] = [];
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
      const v = value[i] as number;
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
        groupCategoryOf.push(c);
        groupStratumOf.push(t);
      }
    }

    // Lay the cells out by (question, state name) and the groups by (cell, category, stratum).
    const cellKeys = [...cells.slotOf.keys()];
    const cellQuestion = (slot: number) => Math.floor((cellKeys[slot] as number) / states.length);
    const cellStateOf = (slot: number) => (cellKeys[slot] as number) % states.length;
    const cellOrder = cellKeys.map((_, slot) => slot);
    cellOrder.sort(
      (a, b) =>
        cellQuestion(a) - cellQuestion(b) ||
        (stateRank[cellStateOf(a)] as number) - (stateRank[cellStateOf(b)] as number),
    );
    const cellCount = cellOrder.length;
    const finalCell = new Uint32Array(cellCount);
    const cellOffset = shared(Uint32Array, questions.length + 1);
    const cellState = shared(Uint32Array, cellCount);
    const cellMean = shared(Float64Array, cellCount);
    cellOrder.forEach((slot, i) => {
      finalCell[slot] = i;
      cellState[i] = cellStateOf(slot);
      cellMean[i] = cells.mean(slot);
      cellOffset[cellQuestion(slot) + 1]++;
    });
    for (let q = 0; q < questions.length; q++) cellOffset[q + 1] += cellOffset[q] as number;

    const byName = (a: number, b: number) =>
      (stateRank[cellState[a] as number] as number) - (stateRank[cellState[b] as number] as number);
    const byMeanAsc = shared(Uint32Array, cellCount);
    const byMeanDesc = shared(Uint32Array, cellCount);
    for (let q = 0; q < questions.length; q++) {
      const range = Array.from(
        { length: (cellOffset[q + 1] as number) - (cellOffset[q] as number) },
        (_, i) => (cellOffset[q] as number) + i,
      );
      byMeanAsc.set(
        range.slice().sort((a, b) => (cellMean[a] as number) - (cellMean[b] as number) || byName(a, b)),
        cellOffset[q],
      );
      byMeanDesc.set(
        range.sort((a, b) => (cellMean[b] as number) - (cellMean[a] as number) || byName(a, b)),
        cellOffset[q],
      );
    }

    const groupOrder = groupCell.map((_, slot) => slot);
    groupOrder.sort(
      (a, b) =>
        (finalCell[groupCell[a] as number] as number) - (finalCell[groupCell[b] as number] as number) ||
        (categoryRank[groupCategoryOf[a] as number] as number) -
          (categoryRank[groupCategoryOf[b] as number] as number) ||
        (stratumRank[groupStratumOf[a] as number] as number) - (stratumRank[groupStratumOf[b] as number] as number),
    );
    const groupCount = groupOrder.length;
    const groupOffset = shared(Uint32Array, cellCount + 1);
    const groupCategory = shared(Uint32Array, groupCount);
    const groupStratum = shared(Uint32Array, groupCount);
    const groupMean = shared(Float64Array, groupCount);
    groupOrder.forEach((slot, i) => {
      groupCategory[i] = groupCategoryOf[slot] as number;
      groupStratum[i] = groupStratumOf[slot] as number;
      groupMean[i] = groups.mean(slot);
      groupOffset[(finalCell[groupCell[slot] as number] as number) + 1]++;
    });
    for (let c = 0; c < cellCount; c++) groupOffset[c + 1] += groupOffset[c] as number;

    const direction = shared(Uint8Array, questions.length);
    const globalMean = shared(Float64Array, questions.length);
    questions.forEach((q, i) => {
      const best = directionOf(q);
      direction[i] = best === undefined ? 0 : DIRECTION_CODE[best];
      globalMean[i] = (questionSum[i] as number) / (questionCount[i] as number);
    });
    const sharedRank = shared(Uint32Array, states.length);
    sharedRank.set(stateRank);

    return new StatsIndex({
      questions,
      states,
      categories,
      strata,
      direction,
      globalMean,
      cellOffset,
      cellState,
      cellMean,
      byMeanAsc,
      byMeanDesc,
      groupOffset,
      groupCategory,
      groupStratum,
      groupMean,
      stateRank: sharedRank,
    });
  }
}
