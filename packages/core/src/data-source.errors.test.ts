import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataIngestor, type IngestOptions } from './data-source';
import { LeStatsError, LeStatsInputError } from './errors';
import { DEFAULT_RANKING, type RankingLists } from './queries/rank';
import { QUERIES, QUERY_NAMES, type QueryName } from './queries/table';

const RANKED = 'Percent of adults aged 18 years and older who have obesity';
const UNRANKED = 'A question with no ranking direction';
const HEADER = 'LocationDesc,Question,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd';
const CSV = [
  HEADER,
  `Ohio,${RANKED},30,Total,Total,2015,2015`,
  `Utah,${RANKED},25,Total,Total,2015,2015`,
  `Ohio,${UNRANKED},1,Total,Total,2015,2015`,
  `Iowa,${UNRANKED},2,Total,Total,2015,2015`,
  `Iowa,Only suppressed,~,Total,Total,2015,2015`,
].join('\n');

const inputError = (code: string, message?: string | RegExp) =>
  expect.objectContaining({
    name: 'LeStatsInputError',
    code,
    ...(message === undefined
      ? {}
      : { message: typeof message === 'string' ? message : expect.stringMatching(message) }),
  });

const dataError = (code: string, message?: RegExp) =>
  expect.objectContaining({
    name: 'LeStatsDataError',
    code,
    ...(message === undefined ? {} : { message: expect.stringMatching(message) }),
  });

const withState = QUERY_NAMES.filter((name) => QUERIES[name].withState);

describe('bad query input (SPEC 3)', () => {
  const data = DataIngestor.fromString(CSV);
  const run = (name: string, params: unknown) => () => data.query(name as QueryName, params as never);

  it.each(QUERY_NAMES)('%s: question missing or not a string', (name) => {
    const message = '"question" is required and must be a string';
    for (const params of [
      {},
      { state: 'Ohio' },
      { question: 5, state: 'Ohio' },
      { question: null },
      { question: [RANKED] },
    ]) {
      expect(run(name, params)).toThrow(inputError('invalid_params', message));
      expect(() => data.queryJson(name, params as never)).toThrow(inputError('invalid_params', message));
    }
    for (const params of [undefined, null, 'question', 42]) {
      expect(() => data.resolve(name, params)).toThrow(inputError('invalid_params', message));
    }
  });

  it.each(withState)('%s: state missing or not a string', (name) => {
    for (const params of [{ question: RANKED }, { question: RANKED, state: 1 }, { question: RANKED, state: null }]) {
      expect(run(name, params)).toThrow(inputError('invalid_params', '"state" is required and must be a string'));
    }
  });

  it.each(QUERY_NAMES)('%s: unknown question', (name) => {
    for (const question of ['Nope', 'Only suppressed', ` ${RANKED}`, RANKED.toUpperCase(), '', 'constructor']) {
      expect(run(name, { question, state: 'Ohio' })).toThrow(
        inputError('unknown_question', `unknown question: ${JSON.stringify(question)}`),
      );
    }
  });

  it.each(withState)('%s: a state with no rows for the question', (name) => {
    for (const state of ['Iowa', 'Atlantis', 'ohio', 'Ohio ', '']) {
      expect(run(name, { question: RANKED, state })).toThrow(
        inputError('unknown_state', `no data for state ${JSON.stringify(state)} on question ${JSON.stringify(RANKED)}`),
      );
    }
    expect(run(name, { question: UNRANKED, state: 'Utah' })).toThrow(inputError('unknown_state', /"Utah"/));
  });

  it.each(['best5', 'worst5'] as const)('%s: a question with no ranking direction', (name) => {
    expect(run(name, { question: UNRANKED })).toThrow(
      inputError('no_ranking', `question ${JSON.stringify(UNRANKED)} has no ranking direction, so it has no ${name}`),
    );
    expect(() => data[name === 'best5' ? 'best5' : 'worst5'](UNRANKED)).toThrow(inputError('no_ranking'));
  });

  it('answers the queries that need no ranking for an unranked question', () => {
    expect(data.statesMean(UNRANKED)).toEqual({ Ohio: 1, Iowa: 2 });
  });

  it('rejects an unknown query name', () => {
    for (const name of ['median', 'STATES_MEAN', '', 'toString', '__proto__']) {
      expect(run(name, { question: RANKED })).toThrow(
        inputError('unknown_query', `unknown query ${JSON.stringify(name)}`),
      );
    }
  });

  it('rejects bad input through every named method', () => {
    const bad = undefined as unknown as string;
    expect(() => data.statesMean(bad)).toThrow(inputError('invalid_params'));
    expect(() => data.stateMean(RANKED, bad)).toThrow(inputError('invalid_params'));
    expect(() => data.best5('Nope')).toThrow(inputError('unknown_question'));
    expect(() => data.worst5('Nope')).toThrow(inputError('unknown_question'));
    expect(() => data.globalMean('Nope')).toThrow(inputError('unknown_question'));
    expect(() => data.diffFromMean('Nope')).toThrow(inputError('unknown_question'));
    expect(() => data.stateDiffFromMean(RANKED, 'Iowa')).toThrow(inputError('unknown_state'));
    expect(() => data.meanByCategory('Nope')).toThrow(inputError('unknown_question'));
    expect(() => data.stateMeanByCategory(RANKED, 'Iowa')).toThrow(inputError('unknown_state'));
  });

  it('is an instance of the exported error classes', () => {
    let caught: unknown;
    try {
      data.globalMean('Nope');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LeStatsInputError);
    expect(caught).toBeInstanceOf(LeStatsError);
    expect(caught).toBeInstanceOf(Error);
  });
});

describe('data that cannot be ingested', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lestats-errors-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const file = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it.each(['', '\n\n', '\r\n', '\uFEFF', '\uFEFF\r\n\r\n'])('rejects empty text %j', (text) => {
    expect(() => DataIngestor.fromString(text)).toThrow(dataError('empty_file', /^string is empty/));
  });

  it('rejects an empty file, naming it', async () => {
    const path = await file('empty.csv', '\uFEFF\n');
    await expect(DataIngestor.fromFile(path)).rejects.toThrow(dataError('empty_file'));
    await expect(DataIngestor.fromFile(path)).rejects.toThrow(path);
  });

  it('rejects an unreadable path, naming it', async () => {
    const path = join(dir, 'missing.csv');
    await expect(DataIngestor.fromFile(path)).rejects.toThrow(dataError('unreadable_file', /ENOENT/));
    await expect(DataIngestor.fromFile(dir)).rejects.toThrow(dataError('unreadable_file', /EISDIR/));
  });

  it('rejects a header without the used columns, naming each missing one', async () => {
    const text = 'LocationDesc,Question,Data_Value_Alt,StratificationCategory1,Stratification2\nOhio,Q,1,Total,Total\n';
    const message = /required columns: Data_Value, Stratification1, YearStart, YearEnd$/;
    expect(() => DataIngestor.fromString(text)).toThrow(dataError('missing_columns', message));
    await expect(DataIngestor.fromFile(await file('columns.csv', text))).rejects.toThrow(
      dataError('missing_columns', message),
    );
  });

  it('accepts a header with no data rows', () => {
    const data = DataIngestor.fromString(`${HEADER}\n`);
    expect(data.questions()).toEqual([]);
    expect(data.states()).toEqual([]);
    expect(data.report.rows).toBe(0);
    expect(() => data.globalMean(RANKED)).toThrow(inputError('unknown_question'));
  });

  const badOptions: Array<[string, IngestOptions]> = [
    ['years reversed', { years: [2022, 2011] }],
    ['years from NaN', { years: [Number.NaN, 2022] }],
    ['years to NaN', { years: [2011, Number.NaN] }],
    ['years too short', { years: [2011] as unknown as [number, number] }],
    ['years too long', { years: [2011, 2022, 2030] as unknown as [number, number] }],
    ['years as text', { years: ['2011', '2022'] as unknown as [number, number] }],
    ['a question in both lists', { ranking: { bestIsMin: ['Q', RANKED], bestIsMax: ['R', RANKED] } }],
    ['a default max question made min too', { ranking: { bestIsMin: [DEFAULT_RANKING.bestIsMax[0] as string] } }],
    ['a ranking list that is one string', { ranking: { bestIsMin: RANKED as unknown as string[] } }],
    ['a ranking list that is an empty string', { ranking: { bestIsMax: '' as unknown as string[] } }],
    ['a ranking list holding a number', { ranking: { bestIsMax: ['Q', 5] as unknown as string[] } }],
    // What JavaScript callers and JSON configurations can pass where the types forbid it.
    ['years as one number', { years: 2011 as unknown as [number, number] }],
    ['years null', { years: null as unknown as [number, number] }],
    ['years as an array-like', { years: { 0: 2011, 1: 2022, length: 2 } as unknown as [number, number] }],
    ['years without a prototype', { years: Object.create(null) }],
    ['ranking null', { ranking: null as unknown as RankingLists }],
    ['ranking as text', { ranking: 'x' as unknown as RankingLists }],
    ['a ranking list null', { ranking: { bestIsMin: null as unknown as string[] } }],
  ];

  it.each(badOptions)('rejects options: %s', async (_, options) => {
    expect(() => DataIngestor.fromString(CSV, options)).toThrow(dataError('invalid_option'));
    expect(() => DataIngestor.sample({ rows: 10, ...options })).toThrow(dataError('invalid_option'));
    await expect(DataIngestor.fromFile(join(dir, 'never-read.csv'), options)).rejects.toThrow(
      dataError('invalid_option'),
    );
  });

  it('rejects options that are not an object, and shows what was given', async () => {
    for (const options of [null, 'years', 2011]) {
      expect(() => DataIngestor.fromString(CSV, options as unknown as IngestOptions)).toThrow(
        dataError('invalid_option', /^options must be an object, got /),
      );
      expect(() => DataIngestor.sample(options as unknown as IngestOptions)).toThrow(dataError('invalid_option'));
      await expect(
        DataIngestor.fromFile(join(dir, 'never-read.csv'), options as unknown as IngestOptions),
      ).rejects.toThrow(dataError('invalid_option'));
    }
    expect(() => DataIngestor.fromString(CSV, { years: [2022, 2011] })).toThrow(
      dataError('invalid_option', /got \[2022, 2011\]$/),
    );
  });

  it('names the question found in both ranking lists', () => {
    expect(() => DataIngestor.fromString(CSV, { ranking: { bestIsMin: [RANKED], bestIsMax: [RANKED] } })).toThrow(
      dataError('invalid_option', new RegExp(`best at both ends: "${RANKED}"`)),
    );
  });
});
