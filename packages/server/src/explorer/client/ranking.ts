/** Which end of a question's ranking is best, as `/api/questions` reports it. */
export type RankingDirection = 'min' | 'max' | null;

/** One state's mean and its place in the ranking (1 = first bar). */
export interface RankedState {
  state: string;
  mean: number;
  rank: number;
}

/**
 * Orders a `states_mean` answer for the ranking chart, best first: as the API sends it
 * (ascending) when lower is better, highest first otherwise (also when the question has no
 * direction, so the chart still reads top-down).
 */
export function rankStates(statesMean: Record<string, number>, best: RankingDirection): RankedState[] {
  const entries = Object.entries(statesMean).map(([state, mean]) => ({ state, mean }));
  // The API's order breaks ties by state name; a stable sort on the mean alone keeps that
  // tie order, so the first bars are exactly best5's states.
  if (best !== 'min') entries.sort((a, b) => b.mean - a.mean);
  return entries.map((entry, index) => ({ ...entry, rank: index + 1 }));
}
