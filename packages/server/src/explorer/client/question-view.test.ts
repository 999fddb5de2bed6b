import { describe, expect, it } from 'vitest';
import type { QuestionInfo } from './api';
import { questionView, rankGroup, stateTooltip } from './question-view';

const statesMean = { Utah: 20, Ohio: 25, Texas: 30 };
const answers = { statesMean, globalMean: { global_mean: 25 }, best5: { Utah: 20 }, worst5: { Texas: 30 } };
const info = (best: QuestionInfo['best']): QuestionInfo => ({ question: 'Q', best, states: 3 });

describe('stateTooltip', () => {
  it('gives the mean, the rank, the distance to the global mean and whether the state is best or worst', () => {
    const view = questionView(info('min'), answers);
    expect(stateTooltip(view, 'Utah')).toEqual([
      'Utah',
      'Mean: 20.00%',
      'Rank 1 of 3 (best first)',
      '5.00 points below the global mean (25.00%)',
      'One of the best five',
    ]);
    expect(stateTooltip(view, 'Texas')).toEqual([
      'Texas',
      'Mean: 30.00%',
      'Rank 3 of 3 (best first)',
      '5.00 points above the global mean (25.00%)',
      'One of the worst five',
    ]);
    expect(stateTooltip(view, 'Ohio')).toEqual([
      'Ohio',
      'Mean: 25.00%',
      'Rank 2 of 3 (best first)',
      'equal to the global mean (25.00%)',
    ]);
  });

  // Without a direction the bars still run from the highest mean down, and the rank must not claim "best".
  it('ranks from the highest mean for a question without a direction, and marks no state', () => {
    const view = questionView(info(null), { statesMean, globalMean: { global_mean: 25 } });
    expect(stateTooltip(view, 'Texas')).toEqual([
      'Texas',
      'Mean: 30.00%',
      'Rank 1 of 3 (highest first)',
      '5.00 points above the global mean (25.00%)',
    ]);
    expect(Object.keys(statesMean).map((state) => rankGroup(view, state))).toEqual(['other', 'other', 'other']);
  });

  it('says so for a state without data for the question', () => {
    expect(stateTooltip(questionView(info('max'), answers), 'Nevada')).toEqual(['Nevada', 'No data for this question']);
  });
});
