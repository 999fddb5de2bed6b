import type { StatsIndex } from '../ingest/stats-index';
import type { ResultEntries } from './json';
import { pythonStringRepr } from './python-repr';

interface ReprCache {
  states: string[];
  categories: string[];
  strata: string[];
}

// Each dictionary string is repr'd once per index, not once per key per query.
const reprCaches = new WeakMap<StatsIndex, ReprCache>();

function reprs(index: StatsIndex): ReprCache {
  let cache = reprCaches.get(index);
  if (cache === undefined) {
    const { states, categories, strata } = index.data;
    cache = {
      states: states.map(pythonStringRepr),
      categories: categories.map(pythonStringRepr),
      strata: strata.map(pythonStringRepr),
    };
    reprCaches.set(index, cache);
  }
  return cache;
}

/** `{ "('State', 'Category', 'Stratum')": mean }` sorted by state, category, stratum. */
export function meanByCategory(index: StatsIndex, question: number): ResultEntries {
  const { cellOffset, cellState, groupOffset, groupCategory, groupStratum, groupMean } = index.data;
  const repr = reprs(index);
  const out: [string, number][] = [];
  for (let cell = cellOffset[question] as number; cell < (cellOffset[question + 1] as number); cell++) {
    const state = `(${repr.states[cellState[cell] as number]}, `;
    for (let g = groupOffset[cell] as number; g < (groupOffset[cell + 1] as number); g++) {
      const key = `${state}${repr.categories[groupCategory[g] as number]}, ${repr.strata[groupStratum[g] as number]})`;
      out.push([key, groupMean[g] as number]);
    }
  }
  return out;
}

/** `{ state: { "('Category', 'Stratum')": mean } }` for one cell, sorted by category, stratum. */
export function stateMeanByCategory(index: StatsIndex, cell: number): ResultEntries {
  const { states, cellState, groupOffset, groupCategory, groupStratum, groupMean } = index.data;
  const repr = reprs(index);
  const inner: [string, number][] = [];
  for (let g = groupOffset[cell] as number; g < (groupOffset[cell + 1] as number); g++) {
    inner.push([
      `(${repr.categories[groupCategory[g] as number]}, ${repr.strata[groupStratum[g] as number]})`,
      groupMean[g] as number,
    ]);
  }
  return [[states[cellState[cell] as number] as string, inner]];
}
