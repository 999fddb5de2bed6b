import type { StatsIndex } from '../ingest/stats-index';
import type { ResultEntries } from './json';

/** `{ state: mean }` for every state of the question, by ascending mean, ties by name. */
export function statesMean(index: StatsIndex, question: number): ResultEntries {
  const { cellOffset, byMeanAsc, cellState, cellMean, states } = index.data;
  const out: [string, number][] = [];
  for (let i = cellOffset[question] as number; i < (cellOffset[question + 1] as number); i++) {
    const cell = byMeanAsc[i] as number;
    out.push([states[cellState[cell] as number] as string, cellMean[cell] as number]);
  }
  return out;
}

/** `{ state: mean }` for one cell. */
export function stateMean(index: StatsIndex, cell: number): ResultEntries {
  const { states, cellState, cellMean } = index.data;
  return [[states[cellState[cell] as number] as string, cellMean[cell] as number]];
}

/** `{ global_mean: mean }` over every row of the question. */
export function globalMean(index: StatsIndex, question: number): ResultEntries {
  return [['global_mean', index.data.globalMean[question] as number]];
}

/** `{ state: global_mean - state_mean }` for every state, in {@link statesMean} order. */
export function diffFromMean(index: StatsIndex, question: number): ResultEntries {
  const global = index.data.globalMean[question] as number;
  return statesMean(index, question).map(([state, mean]) => [state, global - (mean as number)] as const);
}

/** `{ state: global_mean - state_mean }` for one cell of the question. */
export function stateDiffFromMean(index: StatsIndex, question: number, cell: number): ResultEntries {
  const { states, cellState, cellMean, globalMean: global } = index.data;
  return [[states[cellState[cell] as number] as string, (global[question] as number) - (cellMean[cell] as number)]];
}
