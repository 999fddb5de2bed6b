import type { QuestionInfo } from './api';
import { describeDifference, formatPercent } from './format';
import { type RankedState, rankStates } from './ranking';

/** What the page knows about the chosen question, from the API's answers. */
export interface QuestionView {
  info: QuestionInfo;
  /** Every state, best first. */
  ranked: RankedState[];
  byState: Map<string, RankedState>;
  globalMean: number;
  /** best5's and worst5's states; empty when the question has no ranking direction. */
  best: Set<string>;
  worst: Set<string>;
}

/** The answers one question needs, as the query routes return them. */
export interface QuestionAnswers {
  statesMean: Record<string, number>;
  globalMean: { global_mean: number };
  best5?: Record<string, number>;
  worst5?: Record<string, number>;
}

/** Builds the view of a question from its answers. */
export function questionView(info: QuestionInfo, answers: QuestionAnswers): QuestionView {
  const ranked = rankStates(answers.statesMean, info.best);
  return {
    info,
    ranked,
    byState: new Map(ranked.map((entry) => [entry.state, entry])),
    globalMean: answers.globalMean.global_mean,
    best: new Set(Object.keys(answers.best5 ?? {})),
    worst: new Set(Object.keys(answers.worst5 ?? {})),
  };
}

/** Where a state stands: best five, worst five or neither. */
export function rankGroup(view: QuestionView, state: string): 'best' | 'worst' | 'other' {
  if (view.best.has(state)) return 'best';
  if (view.worst.has(state)) return 'worst';
  return 'other';
}

const GROUP_NOTES = { best: 'One of the best five', worst: 'One of the worst five', other: undefined };

/** The hover text for a state: its mean, rank and distance from the global mean. */
export function stateTooltip(view: QuestionView, state: string): string[] {
  const entry = view.byState.get(state);
  if (!entry) return [state, 'No data for this question'];
  const lines = [
    state,
    `Mean: ${formatPercent(entry.mean)}`,
    `Rank ${entry.rank} of ${view.ranked.length}${view.info.best ? ' (best first)' : ' (highest first)'}`,
    `${describeDifference(entry.mean, view.globalMean, 'the global mean')} (${formatPercent(view.globalMean)})`,
  ];
  const note = GROUP_NOTES[rankGroup(view, state)];
  return note ? [...lines, note] : lines;
}
