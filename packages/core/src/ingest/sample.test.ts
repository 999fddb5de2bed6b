import { describe, expect, it } from 'vitest';
import { DataIngestor } from '../data-source';
import { DEFAULT_RANKING } from '../queries/rank';
import { parseCsvRows } from './csv';
import { seededRandom } from './random';
import { sampleCsv, sampleCsvChunks } from './sample';

function rowsOf(text: string): string[][] {
  const rows: string[][] = [];
  parseCsvRows(text, (row) => rows.push(row));
  return rows;
}

const REAL_HEADER = [
  'YearStart',
  'YearEnd',
  'LocationAbbr',
  'LocationDesc',
  'Datasource',
  'Class',
  'Topic',
  'Question',
  'Data_Value_Unit',
  'Data_Value_Type',
  'Data_Value',
  'Data_Value_Alt',
  'Data_Value_Footnote_Symbol',
  'Data_Value_Footnote',
  'Low_Confidence_Limit',
  'High_Confidence_Limit ',
  'Sample_Size',
  'Total',
  'Age(years)',
  'Education',
  'Gender',
  'Income',
  'Race/Ethnicity',
  'GeoLocation',
  'ClassID',
  'TopicID',
  'QuestionID',
  'DataValueTypeID',
  'LocationID',
  'StratificationCategory1',
  'Stratification1',
  'StratificationCategoryId1',
  'StratificationID1',
];

describe('sampleCsv', () => {
  const text = sampleCsv();
  const [header, ...rows] = rowsOf(text);
  const column = (name: string) => REAL_HEADER.indexOf(name);

  it("has the real file's header and 18 000 data rows by default", () => {
    expect(header).toEqual(REAL_HEADER);
    expect(rows).toHaveLength(18_000);
    expect(rows.filter((row) => row.length !== REAL_HEADER.length)).toEqual([]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(sampleCsv({ seed: 1, rows: 18_000 })).toBe(text);
    expect(sampleCsv({ seed: 2, rows: 2000 })).not.toBe(sampleCsv({ seed: 1, rows: 2000 }));
    expect(sampleCsv({ seed: 2, rows: 50 })).toBe(sampleCsv({ seed: 2, rows: 50 }));
  });

  it('covers the nine questions, 55 locations and six stratification categories', () => {
    const distinct = (name: string) => new Set(rows.map((row) => row[column(name)]));
    expect([...distinct('Question')].sort()).toEqual(
      [...DEFAULT_RANKING.bestIsMin, ...DEFAULT_RANKING.bestIsMax].sort(),
    );
    const locations = distinct('LocationDesc');
    expect(locations.size).toBe(55);
    for (const place of ['National', 'Guam', 'Puerto Rico', 'Virgin Islands', 'District of Columbia', 'Wyoming']) {
      expect(locations.has(place)).toBe(true);
    }
    expect([...distinct('StratificationCategory1')].sort()).toEqual([
      'Age (years)',
      'Education',
      'Gender',
      'Income',
      'Race/Ethnicity',
      'Total',
    ]);
  });

  it('holds every (question, location, stratum) once in a sample just large enough', () => {
    // 9 questions x 55 locations x 28 strata (1 + 6 + 4 + 2 + 7 + 8 over the six categories).
    const grid = 9 * 55 * 28;
    const [, ...small] = rowsOf(sampleCsv({ rows: grid }));
    const names = ['Question', 'LocationDesc', 'StratificationCategory1', 'Stratification1'];
    const keys = new Set(small.map((row) => JSON.stringify(names.map((name) => row[column(name)]))));
    expect(keys.size).toBe(grid);
  });

  it("writes each row's stratum in the column of its category too, as the real file does", () => {
    const categoryColumns = ['Total', 'Age(years)', 'Education', 'Gender', 'Income', 'Race/Ethnicity'];
    const columnOf = (category: string) => (category === 'Age (years)' ? 'Age(years)' : category);
    const wrong = rows.filter((row) => {
      const own = columnOf(row[column('StratificationCategory1')] as string);
      return categoryColumns.some((name) => row[column(name)] !== (name === own ? row[column('Stratification1')] : ''));
    });
    expect(wrong).toEqual([]);
  });

  it('spans 2011 to 2022 with plausible values and a few suppressed ones', () => {
    const years = new Set(rows.map((row) => row[column('YearStart')]));
    expect([...years].sort()).toEqual(Array.from({ length: 12 }, (_, i) => String(2011 + i)));
    const suppressed = rows.filter((row) => row[column('Data_Value')] === '');
    expect(suppressed.length).toBeGreaterThan(0);
    expect(suppressed.length).toBeLessThan(rows.length * 0.05);
    expect(suppressed.filter((row) => row[column('Data_Value_Footnote_Symbol')] !== '~')).toEqual([]);
    const values = rows
      .filter((row) => row[column('Data_Value')] !== '')
      .map((row) => Number(row[column('Data_Value')]));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...values)).toBeLessThanOrEqual(99);
  });

  it('writes a value, its confidence limits and its sample size only where the value is not suppressed', () => {
    const at = (row: string[], name: string) => row[column(name)] as string;
    const wrong = rows.filter((row) => {
      const value = at(row, 'Data_Value');
      const others = ['Data_Value_Alt', 'Low_Confidence_Limit', 'High_Confidence_Limit ', 'Sample_Size'];
      if (value === '') return others.some((name) => at(row, name) !== '');
      const [low, high] = [Number(at(row, 'Low_Confidence_Limit')), Number(at(row, 'High_Confidence_Limit '))];
      return (
        at(row, 'Data_Value_Alt') !== value ||
        !(0 <= low && low <= Number(value) && Number(value) <= high && high <= 100) ||
        !/^\d+$/.test(at(row, 'Sample_Size'))
      );
    });
    expect(wrong).toEqual([]);
  });

  it('gives every location but National a (latitude, longitude), as the real file does', () => {
    const wrong = rows.filter((row) =>
      row[column('LocationDesc')] === 'National'
        ? row[column('GeoLocation')] !== ''
        : !/^\(\d+\.\d{6}, -\d+\.\d{6}\)$/.test(row[column('GeoLocation')] as string),
    );
    expect(wrong).toEqual([]);
  });

  it('writes the same file for a seed from one version to the next', () => {
    // Pinned: a sample named by its seed (`lestats sample --seed 1`) is a file people keep and compare.
    expect(sampleCsv({ rows: 1, seed: 1 }).split('\n')[1]).toBe(
      '2011,2011,AL,Alabama,Behavioral Risk Factor Surveillance System,Obesity / Weight Status,' +
        'Obesity / Weight Status,Percent of adults aged 18 years and older who have obesity,,Value,37.1,37.1,,,' +
        '34.5,39.7,871,Total,,,,,,"(32.278156, -119.168579)",OWS,OWS1,Q036,VALUE,1,Total,Total,OVR,OVR1',
    );
  });

  it('writes the requested number of rows', () => {
    expect(rowsOf(sampleCsv({ rows: 0 }))).toEqual([REAL_HEADER]);
    expect(rowsOf(sampleCsv({ rows: 7, seed: 3 }))).toHaveLength(8);
  });

  it.each([{ rows: -1 }, { rows: 1.5 }, { rows: Number.NaN }, { seed: 0.5 }, { seed: Number.POSITIVE_INFINITY }])(
    'refuses %j',
    (options) => {
      const refusal = expect.objectContaining({ name: 'LeStatsDataError', code: 'invalid_option' });
      expect(() => sampleCsv(options)).toThrow(refusal);
      // At the call, not lazily at the first piece.
      expect(() => sampleCsvChunks(options)).toThrow(refusal);
    },
  );
});

describe('sampleCsvChunks', () => {
  it.each([0, 1, 9_999, 10_000, 25_000])('cuts %i rows into pieces of whole lines that make sampleCsv', (rows) => {
    const chunks = [...sampleCsvChunks({ rows, seed: 3 })];
    expect(chunks.join('')).toBe(sampleCsv({ rows, seed: 3 }));
    // The header and 9 999 rows, then 10 000 rows a piece.
    expect(chunks).toHaveLength(Math.max(1, Math.ceil((rows + 1) / 10_000)));
    for (const [i, chunk] of chunks.entries()) {
      expect(chunk.endsWith('\n')).toBe(true);
      expect(chunk.startsWith('YearStart,')).toBe(i === 0);
    }
  });
});

describe('DataIngestor.sample', () => {
  it('ingests the sample with every question ranked and every location present', () => {
    const data = DataIngestor.sample();
    expect(data.source).toBe('sample');
    expect(data.report.rows).toBe(18_000);
    expect(data.report.skipped.nonNumericValue).toBeGreaterThan(0);
    expect(data.report.kept).toBe(18_000 - data.report.skipped.nonNumericValue);
    expect(data.questions()).toHaveLength(9);
    for (const info of data.questions()) expect(info.best).not.toBeNull();
    expect(data.states()).toHaveLength(55);
    expect(DataIngestor.sample({ rows: 500, seed: 9 }).report.rows).toBe(500);
  });

  it('indexes, piece by piece, exactly what the whole text of the sample holds', () => {
    const options = { rows: 25_000, seed: 4, years: [2012, 2020] as [number, number] };
    const pieces = DataIngestor.sample(options);
    const whole = DataIngestor.fromString(sampleCsv(options), options);
    expect(pieces.report).toEqual(whole.report);
    expect(pieces.states()).toEqual(whole.states());
    for (const { question } of whole.questions())
      expect(pieces.queryJson('state_mean_by_category', { question, state: 'Ohio' })).toBe(
        whole.queryJson('state_mean_by_category', { question, state: 'Ohio' }),
      );
  });
});

describe('seededRandom', () => {
  // mulberry32's values, worked out apart from this code (with BigInt arithmetic).
  it.each([
    [1, [0.6270739405881613, 0.002735721180215478, 0.5274470399599522]],
    [0, [0.26642920868471265, 0.0003297457005828619, 0.2232720274478197]],
    [-4, [0.9665907246526331, 0.9527870560996234, 0.12223723717033863]],
  ])('is mulberry32 for seed %i', (seed, expected) => {
    const next = seededRandom(seed);
    expect([next(), next(), next()]).toEqual(expected);
  });

  it('takes its seed modulo 2^32, exactly even for the largest safe seeds', () => {
    const firstTwo = (seed: number) => {
      const next = seededRandom(seed);
      return [next(), next()];
    };
    expect(firstTwo(2 ** 32 + 1)).toEqual(firstTwo(1));
    expect(firstTwo(-4)).toEqual(firstTwo(2 ** 32 - 4));
    // Adding to a seed this large before reducing it would round it first.
    expect(firstTwo(Number.MAX_SAFE_INTEGER - 1)).toEqual(firstTwo(2 ** 32 - 2));
  });
});
