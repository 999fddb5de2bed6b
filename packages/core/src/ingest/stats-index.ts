import { compareCodePoints } from './code-points';
import type { Columns } from './dataset';
import { sumRows } from './row-sums';

/** Which end of a question's ranking is best. */
export type RankingDirection = 'min' | 'max';

// How StatsData.direction stores it: the index into this list.
const DIRECTIONS = [null, 'min', 'max'] as const;

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

  /** Which end of a question's ranking is best, or null when the question has no direction. */
  direction(question: number): RankingDirection | null {
    return DIRECTIONS[this.data.direction[question] as number] ?? null;
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
    const stateRank = ranks(states);
    const categoryRank = ranks(categories);
    const stratumRank = ranks(strata);
    const sums = sumRows(columns);

    // Lay the cells out by (question, state name) and the groups by (cell, category, stratum).
    const { cellKeys } = sums;
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
      cellMean[i] = sums.cellMean(slot);
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

    const groupOrder = sums.groupCell.map((_, slot) => slot);
    groupOrder.sort(
      (a, b) =>
        (finalCell[sums.groupCell[a] as number] as number) - (finalCell[sums.groupCell[b] as number] as number) ||
        (categoryRank[sums.groupCategory[a] as number] as number) -
          (categoryRank[sums.groupCategory[b] as number] as number) ||
        (stratumRank[sums.groupStratum[a] as number] as number) -
          (stratumRank[sums.groupStratum[b] as number] as number),
    );
    const groupCount = groupOrder.length;
    const groupOffset = shared(Uint32Array, cellCount + 1);
    const groupCategory = shared(Uint32Array, groupCount);
    const groupStratum = shared(Uint32Array, groupCount);
    const groupMean = shared(Float64Array, groupCount);
    groupOrder.forEach((slot, i) => {
      groupCategory[i] = sums.groupCategory[slot] as number;
      groupStratum[i] = sums.groupStratum[slot] as number;
      groupMean[i] = sums.groupMean(slot);
      groupOffset[(finalCell[sums.groupCell[slot] as number] as number) + 1]++;
    });
    for (let c = 0; c < cellCount; c++) groupOffset[c + 1] += groupOffset[c] as number;

    const direction = shared(Uint8Array, questions.length);
    const globalMean = shared(Float64Array, questions.length);
    questions.forEach((q, i) => {
      const best = directionOf(q);
      direction[i] = best === undefined ? 0 : DIRECTIONS.indexOf(best);
      globalMean[i] = sums.questionMean(i);
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
