import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DataIngestor } from './data-source';
import { DEFAULT_RANKING } from './queries/rank';
import { QUERY_NAMES, type QueryName } from './queries/table';

const OBESITY = 'Percent of adults aged 18 years and older who have obesity';
const MUSCLE = 'Percent of adults who engage in muscle-strengthening activities on 2 or more days a week';
const ODD = `Share of "odd", 'quoted' \\ answers`;

// One line per CSV row; the `Tab…Line` state holds a real tab and newline inside quotes.
const LINES = [
  ',YearStart,YearEnd,LocationDesc,Question,Data_Value,High_Confidence_Limit ,StratificationCategory1,Stratification1',
  `0,2015,2015,Ohio,${OBESITY},20,1,Age (years),18 - 24`,
  `1,2015,2015,Ohio,${OBESITY},24,1,Age (years),25 - 34`,
  `2,2015,2015,Ohio,${OBESITY},~,1,Age (years),35 - 44`,
  `3,2015,2015,Ohio,${OBESITY},,1,Age (years),35 - 44`,
  `4,2015,2015,Alaska,${OBESITY},30,1,Gender,Male`,
  `5,2015,2015,Alaska,${OBESITY},10,1,Gender,Female`,
  `6,2015,2015,Alaska,${OBESITY},20,1,Total,Total`,
  `7,2015,2015,Ohio,${MUSCLE},50,1,Total,Total`,
  `8,2015,2015,Saint-Pierre's Isle,${OBESITY},25,1,Age (years),18 - 24`,
  `9,2015,2015,Saint-Pierre's Isle,${OBESITY},25,1,Age (years),18 - 24`,
  `10,2015,2015,"The ""Quoted"" State",${OBESITY},19,1,Income,"Less than $15,000"`,
  `11,2015,2015,Back\\slash,${OBESITY},22,1,Race/Ethnicity,Hispanic`,
  `12,2015,2015,"Tab\tNew\nLine",${OBESITY},31.4,1,Total,Total`,
  `13,2015,2015,"Tab\tNew\nLine",${OBESITY},28.6,1,,`,
  `14,2015,2015,,${OBESITY},50,1,Total,Total`,
  `15,2015,2015,Ohio,,50,1,Total,Total`,
  `16,2015,2015,Ohio,Ghost question,~,1,Total,Total`,
  `17,2015,2015,Ghost State,${OBESITY},N/A,1,Total,Total`,
  `18,2011,2011,National,${OBESITY},9,1,Total,`,
  `19,2015,2015,Alaska,${MUSCLE},40,1,Total,Total`,
  `20,2015,2015,Alaska,${MUSCLE},41,1,Total,Total`,
  `21,2015,2015,Saint-Pierre's Isle,${MUSCLE},50,1,Total,Total`,
  `22,2022,2022,Alaska,"${ODD.replaceAll('"', '""')}", 1e1 ,1,Age (years),18 - 24`,
  `23,2022,2022,Alaska,"${ODD.replaceAll('"', '""')}",-4,1,Age (years),18 - 24`,
];
const CSV = `${LINES.join('\n')}\n`;
const TAB = 'Tab\tNew\nLine';

interface Golden {
  name: QueryName;
  question: string;
  state?: string;
  object: Record<string, unknown>;
  json: string;
}

const GOLDEN: Golden[] = [
  {
    name: 'states_mean',
    question: OBESITY,
    object: {
      National: 9,
      'The "Quoted" State': 19,
      Alaska: 20,
      'Back\\slash': 22,
      Ohio: 22,
      "Saint-Pierre's Isle": 25,
      [TAB]: 30,
    },
    json: String.raw`{"National":9.0,"The \"Quoted\" State":19.0,"Alaska":20.0,"Back\\slash":22.0,"Ohio":22.0,"Saint-Pierre's Isle":25.0,"Tab\tNew\nLine":30.0}`,
  },
  {
    name: 'state_mean',
    question: OBESITY,
    state: "Saint-Pierre's Isle",
    object: { "Saint-Pierre's Isle": 25 },
    json: `{"Saint-Pierre's Isle":25.0}`,
  },
  {
    name: 'state_mean',
    question: OBESITY,
    state: TAB,
    object: { [TAB]: 30 },
    json: String.raw`{"Tab\tNew\nLine":30.0}`,
  },
  {
    name: 'best5',
    question: OBESITY,
    object: { National: 9, 'The "Quoted" State': 19, Alaska: 20, 'Back\\slash': 22, Ohio: 22 },
    json: String.raw`{"National":9.0,"The \"Quoted\" State":19.0,"Alaska":20.0,"Back\\slash":22.0,"Ohio":22.0}`,
  },
  {
    name: 'worst5',
    question: OBESITY,
    object: { [TAB]: 30, "Saint-Pierre's Isle": 25, 'Back\\slash': 22, Ohio: 22, Alaska: 20 },
    json: String.raw`{"Tab\tNew\nLine":30.0,"Saint-Pierre's Isle":25.0,"Back\\slash":22.0,"Ohio":22.0,"Alaska":20.0}`,
  },
  {
    name: 'global_mean',
    question: OBESITY,
    object: { global_mean: 22 },
    json: '{"global_mean":22.0}',
  },
  {
    name: 'diff_from_mean',
    question: OBESITY,
    object: {
      National: 13,
      'The "Quoted" State': 3,
      Alaska: 2,
      'Back\\slash': 0,
      Ohio: 0,
      "Saint-Pierre's Isle": -3,
      [TAB]: -8,
    },
    json: String.raw`{"National":13.0,"The \"Quoted\" State":3.0,"Alaska":2.0,"Back\\slash":0.0,"Ohio":0.0,"Saint-Pierre's Isle":-3.0,"Tab\tNew\nLine":-8.0}`,
  },
  {
    name: 'state_diff_from_mean',
    question: OBESITY,
    state: "Saint-Pierre's Isle",
    object: { "Saint-Pierre's Isle": -3 },
    json: `{"Saint-Pierre's Isle":-3.0}`,
  },
  {
    name: 'state_diff_from_mean',
    question: OBESITY,
    state: 'Ohio',
    object: { Ohio: 0 },
    json: '{"Ohio":0.0}',
  },
  {
    name: 'mean_by_category',
    question: OBESITY,
    object: {
      "('Alaska', 'Gender', 'Female')": 10,
      "('Alaska', 'Gender', 'Male')": 30,
      "('Alaska', 'Total', 'Total')": 20,
      "('Back\\\\slash', 'Race/Ethnicity', 'Hispanic')": 22,
      "('Ohio', 'Age (years)', '18 - 24')": 20,
      "('Ohio', 'Age (years)', '25 - 34')": 24,
      "(\"Saint-Pierre's Isle\", 'Age (years)', '18 - 24')": 25,
      "('Tab\\tNew\\nLine', 'Total', 'Total')": 31.4,
      "('The \"Quoted\" State', 'Income', 'Less than $15,000')": 19,
    },
    json: String.raw`{"('Alaska', 'Gender', 'Female')":10.0,"('Alaska', 'Gender', 'Male')":30.0,"('Alaska', 'Total', 'Total')":20.0,"('Back\\\\slash', 'Race/Ethnicity', 'Hispanic')":22.0,"('Ohio', 'Age (years)', '18 - 24')":20.0,"('Ohio', 'Age (years)', '25 - 34')":24.0,"(\"Saint-Pierre's Isle\", 'Age (years)', '18 - 24')":25.0,"('Tab\\tNew\\nLine', 'Total', 'Total')":31.4,"('The \"Quoted\" State', 'Income', 'Less than $15,000')":19.0}`,
  },
  {
    name: 'state_mean_by_category',
    question: OBESITY,
    state: 'Alaska',
    object: { Alaska: { "('Gender', 'Female')": 10, "('Gender', 'Male')": 30, "('Total', 'Total')": 20 } },
    json: `{"Alaska":{"('Gender', 'Female')":10.0,"('Gender', 'Male')":30.0,"('Total', 'Total')":20.0}}`,
  },
  {
    name: 'state_mean_by_category',
    question: OBESITY,
    state: 'Back\\slash',
    object: { 'Back\\slash': { "('Race/Ethnicity', 'Hispanic')": 22 } },
    json: String.raw`{"Back\\slash":{"('Race/Ethnicity', 'Hispanic')":22.0}}`,
  },
  {
    name: 'state_mean_by_category',
    question: OBESITY,
    state: 'National',
    object: { National: {} },
    json: '{"National":{}}',
  },
  {
    name: 'states_mean',
    question: MUSCLE,
    object: { Alaska: 40.5, Ohio: 50, "Saint-Pierre's Isle": 50 },
    json: `{"Alaska":40.5,"Ohio":50.0,"Saint-Pierre's Isle":50.0}`,
  },
  {
    name: 'best5',
    question: MUSCLE,
    object: { Ohio: 50, "Saint-Pierre's Isle": 50, Alaska: 40.5 },
    json: `{"Ohio":50.0,"Saint-Pierre's Isle":50.0,"Alaska":40.5}`,
  },
  {
    name: 'worst5',
    question: MUSCLE,
    object: { Alaska: 40.5, Ohio: 50, "Saint-Pierre's Isle": 50 },
    json: `{"Alaska":40.5,"Ohio":50.0,"Saint-Pierre's Isle":50.0}`,
  },
  {
    name: 'global_mean',
    question: MUSCLE,
    object: { global_mean: 45.25 },
    json: '{"global_mean":45.25}',
  },
  {
    name: 'diff_from_mean',
    question: MUSCLE,
    object: { Alaska: 4.75, Ohio: -4.75, "Saint-Pierre's Isle": -4.75 },
    json: `{"Alaska":4.75,"Ohio":-4.75,"Saint-Pierre's Isle":-4.75}`,
  },
  {
    name: 'mean_by_category',
    question: MUSCLE,
    object: {
      "('Alaska', 'Total', 'Total')": 40.5,
      "('Ohio', 'Total', 'Total')": 50,
      "(\"Saint-Pierre's Isle\", 'Total', 'Total')": 50,
    },
    json: String.raw`{"('Alaska', 'Total', 'Total')":40.5,"('Ohio', 'Total', 'Total')":50.0,"(\"Saint-Pierre's Isle\", 'Total', 'Total')":50.0}`,
  },
  {
    name: 'global_mean',
    question: ODD,
    object: { global_mean: 3 },
    json: '{"global_mean":3.0}',
  },
  {
    name: 'state_diff_from_mean',
    question: ODD,
    state: 'Alaska',
    object: { Alaska: 0 },
    json: '{"Alaska":0.0}',
  },
  {
    name: 'state_mean_by_category',
    question: ODD,
    state: 'Alaska',
    object: { Alaska: { "('Age (years)', '18 - 24')": 3 } },
    json: `{"Alaska":{"('Age (years)', '18 - 24')":3.0}}`,
  },
];

const paramsOf = ({ question, state }: Golden) => (state === undefined ? { question } : { question, state });

/** The same query through its named method, as a library user calls it. */
function viaMethod(data: DataIngestor, { name, question, state = '' }: Golden): unknown {
  const methods: Record<QueryName, () => unknown> = {
    states_mean: () => data.statesMean(question),
    state_mean: () => data.stateMean(question, state),
    best5: () => data.best5(question),
    worst5: () => data.worst5(question),
    global_mean: () => data.globalMean(question),
    diff_from_mean: () => data.diffFromMean(question),
    state_diff_from_mean: () => data.stateDiffFromMean(question, state),
    mean_by_category: () => data.meanByCategory(question),
    state_mean_by_category: () => data.stateMeanByCategory(question, state),
  };
  return methods[name]();
}

const label = (golden: Golden) =>
  `${golden.name} ${JSON.stringify(golden.question.slice(0, 20))} ${golden.state ?? ''}`;

describe('DataIngestor on a hand-written CSV', () => {
  const data = DataIngestor.fromString(CSV);

  it('covers each of the nine queries', () => {
    expect(new Set(GOLDEN.map((golden) => golden.name))).toEqual(new Set(QUERY_NAMES));
  });

  it.each(GOLDEN.map((golden) => [label(golden), golden] as const))('%s', (_, golden) => {
    const params = paramsOf(golden);
    expect(data.queryJson(golden.name, params as never)).toBe(golden.json);
    expect(JSON.parse(golden.json)).toEqual(golden.object);
    expect(data.query(golden.name, params as never)).toEqual(golden.object);
    expect(viaMethod(data, golden)).toEqual(golden.object);
    const keys = Object.keys(data.query(golden.name, params as never));
    expect(keys).toEqual(Object.keys(golden.object));
  });

  it('reports what it read', () => {
    expect(data.source).toBe('string');
    expect(data.report).toEqual({
      rows: 24,
      kept: 18,
      skipped: { emptyQuestion: 1, emptyLocation: 1, nonNumericValue: 4, outsideYears: 0 },
    });
  });

  it('lists questions in code-point order with their direction and state count', () => {
    expect(data.questions()).toEqual([
      { question: OBESITY, best: 'min', states: 7 },
      { question: MUSCLE, best: 'max', states: 3 },
      { question: ODD, best: null, states: 1 },
    ]);
  });

  it('lists states in code-point order', () => {
    expect(data.states()).toEqual([
      'Alaska',
      'Back\\slash',
      'National',
      'Ohio',
      "Saint-Pierre's Isle",
      TAB,
      'The "Quoted" State',
    ]);
  });

  it('answers the same with a BOM and CRLF line ends, from a string and from a file', async () => {
    const crlf = `\uFEFF${LINES.join('\r\n')}`;
    const dir = await mkdtemp(join(tmpdir(), 'lestats-golden-'));
    try {
      const path = join(dir, 'golden.csv');
      await writeFile(path, crlf);
      const fromFile = await DataIngestor.fromFile(path);
      expect(fromFile.source).toBe(path);
      for (const variant of [DataIngestor.fromString(crlf), fromFile]) {
        expect(variant.report).toEqual(data.report);
        expect(variant.states()).toEqual(data.states());
        for (const golden of GOLDEN)
          expect(variant.queryJson(golden.name, paramsOf(golden) as never)).toBe(golden.json);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('applies a year window before computing anything', () => {
    const windowed = DataIngestor.fromString(CSV, { years: [2012, 2021] });
    expect(windowed.report).toEqual({
      rows: 24,
      kept: 15,
      skipped: { emptyQuestion: 1, emptyLocation: 1, nonNumericValue: 4, outsideYears: 3 },
    });
    expect(windowed.queryJson('global_mean', { question: OBESITY })).toBe('{"global_mean":23.181818181818183}');
    expect(windowed.queryJson('best5', { question: OBESITY })).toBe(
      String.raw`{"The \"Quoted\" State":19.0,"Alaska":20.0,"Back\\slash":22.0,"Ohio":22.0,"Saint-Pierre's Isle":25.0}`,
    );
    expect(windowed.questions().map((info) => info.question)).toEqual([OBESITY, MUSCLE]);
    expect(windowed.states()).not.toContain('National');
  });
});

describe('DataIngestor ranking lists', () => {
  it('replaces a default list when one is given and keeps the other', () => {
    const data = DataIngestor.fromString(CSV, { ranking: { bestIsMin: [ODD] } });
    expect(data.questions().map((info) => info.best)).toEqual([null, 'max', 'min']);
    expect(data.queryJson('best5', { question: ODD })).toBe('{"Alaska":3.0}');
    expect(() => data.best5(OBESITY)).toThrow(expect.objectContaining({ code: 'no_ranking' }));
  });

  it('extends a default list spread into the option', () => {
    const data = DataIngestor.fromString(CSV, { ranking: { bestIsMax: [...DEFAULT_RANKING.bestIsMax, ODD] } });
    expect(data.questions().map((info) => info.best)).toEqual(['min', 'max', 'max']);
    expect(data.worst5(ODD)).toEqual({ Alaska: 3 });
  });

  it('treats a list left undefined as not given', () => {
    const data = DataIngestor.fromString(CSV, { ranking: { bestIsMin: undefined, bestIsMax: [] } });
    expect(data.questions().map((info) => info.best)).toEqual(['min', null, null]);
  });
});

describe('DataIngestor with integer-like and prototype-like names', () => {
  const csv = [
    'LocationDesc,Question,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd',
    'b,constructor,1,Total,Total,2015,2015',
    '10,constructor,2,Total,Total,2015,2015',
    '2,constructor,3,Total,Total,2015,2015',
    'A,constructor,3,Total,Total,2015,2015',
    '__proto__,constructor,4,Total,Total,2015,2015',
    '0,__proto__,5,1,2,2015,2015',
  ].join('\n');
  const data = DataIngestor.fromString(csv, { ranking: { bestIsMin: ['constructor'] } });

  it('keeps the SPEC key order in JSON text, which plain objects cannot', () => {
    expect(data.queryJson('states_mean', { question: 'constructor' })).toBe(
      '{"b":1.0,"10":2.0,"2":3.0,"A":3.0,"__proto__":4.0}',
    );
    expect(data.queryJson('worst5', { question: 'constructor' })).toBe(
      '{"__proto__":4.0,"2":3.0,"A":3.0,"10":2.0,"b":1.0}',
    );
    expect(Object.keys(data.statesMean('constructor'))).toEqual(['2', '10', 'b', 'A', '__proto__']);
  });

  it('keeps a state named __proto__ as an own key of object results', () => {
    const means = data.statesMean('constructor');
    expect(Object.getPrototypeOf(means)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(means, '__proto__')?.value).toBe(4);
    expect(Object.getOwnPropertyDescriptor(data.stateMean('constructor', '__proto__'), '__proto__')?.value).toBe(4);
    expect(data.queryJson('state_mean_by_category', { question: 'constructor', state: '__proto__' })).toBe(
      `{"__proto__":{"('Total', 'Total')":4.0}}`,
    );
  });

  it('treats a question named like an Object.prototype member as data', () => {
    expect(data.globalMean('__proto__')).toEqual({ global_mean: 5 });
    expect(data.meanByCategory('__proto__')).toEqual({ "('0', '1', '2')": 5 });
    expect(() => data.globalMean('toString')).toThrow(expect.objectContaining({ code: 'unknown_question' }));
    expect(() => data.stateMean('constructor', 'hasOwnProperty')).toThrow(
      expect.objectContaining({ code: 'unknown_state' }),
    );
  });
});

describe('DataIngestor with names beyond U+FFFF', () => {
  // By UTF-16 unit the emoji (U+D83D U+DE00) sorts before U+E000; by code point, after it.
  const data = DataIngestor.fromString(
    [
      'LocationDesc,Question,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd',
      '\u{1F600},\u{1F600},1,Total,Total,2015,2015',
      '\uE000,\uE000,2,Total,Total,2015,2015',
    ].join('\n'),
  );

  it('lists questions and states in code-point order', () => {
    expect(data.questions().map((info) => info.question)).toEqual(['\uE000', '\u{1F600}']);
    expect(data.states()).toEqual(['\uE000', '\u{1F600}']);
  });
});

describe('DataIngestor answers are shared and frozen', () => {
  const data = DataIngestor.fromString(CSV);

  it('returns the same deep-frozen object for the same question', () => {
    const means = data.statesMean(OBESITY);
    expect(Object.isFrozen(means)).toBe(true);
    expect(data.statesMean(OBESITY)).toBe(means);
    expect(data.query('states_mean', { question: OBESITY })).toBe(means);
    expect(() => {
      (means as Record<string, number>).Ohio = 1;
    }).toThrow(TypeError);
    expect(data.statesMean(OBESITY).Ohio).toBe(22);
  });

  it('freezes nested objects too', () => {
    const byCategory = data.stateMeanByCategory(OBESITY, 'Alaska');
    const inner = byCategory.Alaska as Record<string, number>;
    expect(Object.isFrozen(byCategory)).toBe(true);
    expect(Object.isFrozen(inner)).toBe(true);
    expect(() => {
      inner["('Gender', 'Male')"] = 0;
    }).toThrow(TypeError);
    expect(() => {
      delete inner["('Gender', 'Male')"];
    }).toThrow(TypeError);
  });

  it.each(QUERY_NAMES)('freezes %s results', (name) => {
    const params = { question: OBESITY, state: 'Alaska' };
    expect(Object.isFrozen(data.query(name, params))).toBe(true);
  });
});

describe('DataIngestor with values near the largest double', () => {
  // Two rows of 1.5e308 overflow a plain sum; the means exist and are finite.
  const data = DataIngestor.fromString(
    [
      'LocationDesc,Question,Data_Value,StratificationCategory1,Stratification1,YearStart,YearEnd',
      'a,Q,1.5e308,Total,Total,2015,2015',
      'b,Q,-5e307,Total,Total,2015,2015',
      'a,Q,1.5e308,Total,Total,2015,2015',
    ].join('\n'),
  );

  // Expected values: exact rational arithmetic, rounded once to a double.
  it.each([
    ['states_mean', '{"b":-5e+307,"a":1.5e+308}'],
    ['global_mean', '{"global_mean":8.333333333333334e+307}'],
    ['diff_from_mean', '{"b":1.3333333333333335e+308,"a":-6.666666666666666e+307}'],
    ['mean_by_category', `{"('a', 'Total', 'Total')":1.5e+308,"('b', 'Total', 'Total')":-5e+307}`],
  ] as const)('answers %s with finite means', (name, json) => {
    expect(data.queryJson(name, { question: 'Q' })).toBe(json);
  });
});
