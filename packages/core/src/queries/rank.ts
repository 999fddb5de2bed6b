import type { RankingDirection, StatsIndex } from '../ingest/stats-index';
import type { ResultEntries } from './json';

/** Which questions rank best-is-minimum and which best-is-maximum (exact question strings). */
export interface RankingLists {
  bestIsMin: readonly string[];
  bestIsMax: readonly string[];
}

/** The ranking directions of the CDC questions (SPEC 2.3); spread them to extend. */
export const DEFAULT_RANKING: RankingLists = Object.freeze({
  bestIsMin: Object.freeze([
    'Percent of adults aged 18 years and older who have an overweight classification',
    'Percent of adults aged 18 years and older who have obesity',
    'Percent of adults who engage in no leisure-time physical activity',
    'Percent of adults who report consuming fruit less than one time daily',
    'Percent of adults who report consuming vegetables less than one time daily',
  ]),
  bestIsMax: Object.freeze([
    'Percent of adults who achieve at least 150 minutes a week of moderate-intensity aerobic physical activity or 75 minutes a week of vigorous-intensity aerobic activity (or an equivalent combination)',
    'Percent of adults who achieve at least 150 minutes a week of moderate-intensity aerobic physical activity or 75 minutes a week of vigorous-intensity aerobic physical activity and engage in muscle-strengthening activities on 2 or more days a week',
    'Percent of adults who achieve at least 300 minutes a week of moderate-intensity aerobic physical activity or 150 minutes a week of vigorous-intensity aerobic activity (or an equivalent combination)',
    'Percent of adults who engage in muscle-strengthening activities on 2 or more days a week',
  ]),
});

/** The ranking direction of a question under the given lists. */
export function directionLookup(lists: RankingLists): (question: string) => RankingDirection | undefined {
  const min = new Set(lists.bestIsMin);
  const max = new Set(lists.bestIsMax);
  return (question) => (min.has(question) ? 'min' : max.has(question) ? 'max' : undefined);
}

const RANKED = 5;

function firstFive(index: StatsIndex, question: number, ascending: boolean): ResultEntries {
  const { cellOffset, byMeanAsc, byMeanDesc, cellState, cellMean, states } = index.data;
  const order = ascending ? byMeanAsc : byMeanDesc;
  const start = cellOffset[question] as number;
  const end = Math.min(cellOffset[question + 1] as number, start + RANKED);
  const out: [string, number][] = [];
  for (let i = start; i < end; i++) {
    const cell = order[i] as number;
    out.push([states[cellState[cell] as number] as string, cellMean[cell] as number]);
  }
  return out;
}

/** The five best states, best first; the caller has checked the question has a direction. */
export function best5(index: StatsIndex, question: number): ResultEntries {
  return firstFive(index, question, index.direction(question) === 'min');
}

/** The five worst states, worst first; the caller has checked the question has a direction. */
export function worst5(index: StatsIndex, question: number): ResultEntries {
  return firstFive(index, question, index.direction(question) === 'max');
}
