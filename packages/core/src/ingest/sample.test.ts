import { describe, expect, it } from 'vitest';
import { DataIngestor } from '../data-source';
import { DEFAULT_RANKING } from '../queries/rank';
import { parseCsvRows } from './csv';
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
