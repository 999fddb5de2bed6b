import { describe, expect, it } from 'vitest';
import { DataIngestor } from '../data-source';
import { AnswerCache } from './answers';
import { resolveQuery } from './table';

const Q = 'Q';
const CSV = [
  'LocationDesc,Question,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd',
  `Utah,${Q},1,Age,18 - 24,2015,2015`,
  `Ohio,${Q},2,Age,18 - 24,2015,2015`,
  'Ohio,R,3,Age,18 - 24,2015,2015',
].join('\n');

describe('AnswerCache', () => {
  const { index } = DataIngestor.fromString(CSV);
  const resolve = (name: string, params: object) => resolveQuery(index, name, params);

  it('computes an answer once and hands out the same frozen object', () => {
    const answers = new AnswerCache(index);
    const query = resolve('state_mean_by_category', { question: Q, state: 'Ohio' });
    const first = answers.object(query);
    expect(first).toEqual({ Ohio: { "('Age', '18 - 24')": 2 } });
    expect(answers.object({ ...query })).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    expect(Object.isFrozen(first.Ohio)).toBe(true);
  });

  it('keeps one text per query, question and cell', () => {
    const answers = new AnswerCache(index);
    const texts = [
      answers.json(resolve('state_mean', { question: Q, state: 'Ohio' })),
      answers.json(resolve('state_mean', { question: Q, state: 'Utah' })),
      answers.json(resolve('state_diff_from_mean', { question: Q, state: 'Ohio' })),
      answers.json(resolve('state_mean', { question: 'R', state: 'Ohio' })),
      answers.json(resolve('states_mean', { question: Q })),
      answers.json(resolve('states_mean', { question: 'R' })),
      answers.json(resolve('global_mean', { question: Q })),
    ];
    expect(texts).toEqual([
      '{"Ohio":2.0}',
      '{"Utah":1.0}',
      '{"Ohio":-0.5}',
      '{"Ohio":3.0}',
      '{"Utah":1.0,"Ohio":2.0}',
      '{"Ohio":3.0}',
      '{"global_mean":1.5}',
    ]);
    expect(answers.json(resolve('state_mean', { question: Q, state: 'Utah' }))).toBe(texts[1]);
  });
});
