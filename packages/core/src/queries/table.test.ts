import { describe, expect, it } from 'vitest';
import { DataIngestor } from '../data-source';
import { isQueryName, QUERIES, QUERY_NAMES, resolveQuery } from './table';

const Q = 'Percent of adults aged 18 years and older who have obesity';
const CSV = [
  'LocationDesc,Question,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd',
  `Utah,${Q},1,Total,Total,2015,2015`,
  `Ohio,${Q},2,Total,Total,2015,2015`,
  'Iowa,Other,3,Total,Total,2015,2015',
].join('\n');

describe('the query table', () => {
  it('declares the nine SPEC queries in SPEC order', () => {
    expect(QUERY_NAMES).toEqual([
      'states_mean',
      'state_mean',
      'best5',
      'worst5',
      'global_mean',
      'diff_from_mean',
      'state_diff_from_mean',
      'mean_by_category',
      'state_mean_by_category',
    ]);
    expect(QUERY_NAMES.filter((name) => QUERIES[name].withState)).toEqual([
      'state_mean',
      'state_diff_from_mean',
      'state_mean_by_category',
    ]);
    expect(QUERY_NAMES.filter((name) => QUERIES[name].ranked)).toEqual(['best5', 'worst5']);
  });

  it('recognises query names only, not inherited properties', () => {
    for (const name of QUERY_NAMES) expect(isQueryName(name)).toBe(true);
    for (const name of ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'Best5', '']) {
      expect(isQueryName(name)).toBe(false);
    }
  });
});

describe('resolveQuery', () => {
  const { index } = DataIngestor.fromString(CSV);
  const question = index.questionCode(Q) as number;

  it('resolves a question-only query to its question code and no cell', () => {
    expect(resolveQuery(index, 'states_mean', { question: Q, state: 'ignored' })).toEqual({
      name: 'states_mean',
      question,
      cell: -1,
    });
  });

  it('resolves a state query to the cell of that state and question', () => {
    const ohio = resolveQuery(index, 'state_mean', { question: Q, state: 'Ohio' });
    const utah = resolveQuery(index, 'state_mean', { question: Q, state: 'Utah' });
    expect(ohio.cell).toBe(index.cellOf(question, index.stateCode('Ohio') as number));
    expect(utah.cell).not.toBe(ohio.cell);
    expect(index.data.states[index.data.cellState[ohio.cell] as number]).toBe('Ohio');
    expect(index.data.cellMean[ohio.cell]).toBe(2);
  });

  it('checks the query name first, then the question, its ranking, then the state', () => {
    expect(() => resolveQuery(index, 'nope', null)).toThrow(expect.objectContaining({ code: 'unknown_query' }));
    expect(() => resolveQuery(index, 'state_mean', { question: 'Nope' })).toThrow(
      expect.objectContaining({ code: 'unknown_question' }),
    );
    expect(() => resolveQuery(index, 'best5', { question: 'Other' })).toThrow(
      expect.objectContaining({ code: 'no_ranking' }),
    );
    expect(() => resolveQuery(index, 'state_mean', { question: Q })).toThrow(
      expect.objectContaining({ code: 'invalid_params' }),
    );
    expect(() => resolveQuery(index, 'state_mean', { question: Q, state: 'Iowa' })).toThrow(
      expect.objectContaining({ code: 'unknown_state' }),
    );
  });

  it('rejects parameters that are not an object with a string question', () => {
    expect(() => resolveQuery(index, 'states_mean', Object.create(null))).toThrow(
      expect.objectContaining({ code: 'invalid_params' }),
    );
    expect(() => resolveQuery(index, 'states_mean', [Q])).toThrow(expect.objectContaining({ code: 'invalid_params' }));
  });
});
