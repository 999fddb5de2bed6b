import { DataIngestor } from '@lestats/core';
import { describe, expect, it } from 'vitest';
import { rankStates } from './ranking';

describe('rankStates', () => {
  const statesMean = { Utah: 20, Ohio: 25, Iowa: 25, Texas: 30 };

  it('keeps the ascending order when lower is better', () => {
    expect(rankStates(statesMean, 'min')).toEqual([
      { state: 'Utah', mean: 20, rank: 1 },
      { state: 'Ohio', mean: 25, rank: 2 },
      { state: 'Iowa', mean: 25, rank: 3 },
      { state: 'Texas', mean: 30, rank: 4 },
    ]);
  });

  it('puts the highest first when higher is better, keeping the tie order it was given', () => {
    expect(rankStates(statesMean, 'max').map((entry) => entry.state)).toEqual(['Texas', 'Ohio', 'Iowa', 'Utah']);
  });

  it('puts the highest first when the question has no direction', () => {
    expect(rankStates(statesMean, null).map((entry) => entry.state)).toEqual(['Texas', 'Ohio', 'Iowa', 'Utah']);
  });

  it("starts with best5's states in best5's order, ties included", () => {
    const data = DataIngestor.fromString(
      [
        'Question,LocationDesc,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd',
        ...['Wyoming', 'Alaska', 'Maine', 'Iowa', 'Ohio', 'Utah', 'Idaho'].flatMap((state, i) => [
          `Percent of adults who engage in no leisure-time physical activity,${state},${20 + (i % 3)},Total,Total,2020,2020`,
          `Percent of adults who engage in muscle-strengthening activities on 2 or more days a week,${state},${20 + (i % 3)},Total,Total,2020,2020`,
        ]),
      ].join('\n'),
    );
    for (const { question, best } of data.questions()) {
      const ranked = rankStates(data.statesMean(question), best).map((entry) => entry.state);
      expect(ranked.slice(0, 5)).toEqual(Object.keys(data.best5(question)));
    }
  });
});
