import { parseTupleKey } from './tuple-key';

/** One stratum of a category and the state's mean for it. */
interface StratumMean {
  stratum: string;
  mean: number;
}

/** One stratification category (e.g. `Age (years)`) with its strata, in the API's order. */
export interface CategoryGroup {
  category: string;
  strata: StratumMean[];
}

/**
 * Groups the `{ "('Category', 'Stratum')": mean }` answer of `state_mean_by_category` by
 * category, keeping the API's (category, stratum) order.
 */
export function groupByCategory(means: Record<string, number>): CategoryGroup[] {
  const groups = new Map<string, StratumMean[]>();
  for (const [key, mean] of Object.entries(means)) {
    const parts = parseTupleKey(key);
    if (parts.length !== 2) throw new Error(`Expected a (category, stratum) key, got ${key}`);
    const [category, stratum] = parts;
    const strata = groups.get(category) ?? [];
    strata.push({ stratum, mean });
    groups.set(category, strata);
  }
  return [...groups].map(([category, strata]) => ({ category, strata }));
}
