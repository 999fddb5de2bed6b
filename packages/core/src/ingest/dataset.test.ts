import { describe, expect, it } from 'vitest';
import { REQUIRED_COLUMNS } from './columns';
import { ColumnsBuilder, type YearWindow } from './dataset';

// Column order differs from REQUIRED_COLUMNS on purpose: the builder must go by name.
const HEADER = [
  '',
  'YearStart',
  'YearEnd',
  'LocationDesc',
  'Question',
  'Data_Value',
  'StratificationCategory1',
  'Stratification1',
];

function build(rows: string[][], years?: YearWindow): ColumnsBuilder {
  const builder = new ColumnsBuilder(years);
  builder.addRow(HEADER);
  for (const row of rows) builder.addRow(row);
  return builder;
}

describe('ColumnsBuilder', () => {
  it('takes the first row as the header', () => {
    const builder = new ColumnsBuilder();
    expect(builder.hasHeader).toBe(false);
    builder.addRow(HEADER);
    expect(builder.hasHeader).toBe(true);
    expect(builder.report).toEqual({
      rows: 0,
      kept: 0,
      skipped: { emptyQuestion: 0, emptyLocation: 0, nonNumericValue: 0, outsideYears: 0 },
    });
  });

  it('rejects a header without the used columns', () => {
    const builder = new ColumnsBuilder();
    expect(() => builder.addRow(REQUIRED_COLUMNS.slice(1))).toThrow(
      expect.objectContaining({ code: 'missing_columns', message: expect.stringContaining('Question') }),
    );
  });

  it('counts skipped rows by the first rule they break', () => {
    const builder = build([
      ['0', '2011', '2011', 'Ohio', 'Q', '1', 'Total', 'Total'],
      ['1', '2011', '2011', 'Ohio', '', '1', 'Total', 'Total'],
      ['2', '2011', '2011', '', '', '', '', ''],
      ['3', '2011', '2011', '', 'Q', '1', 'Total', 'Total'],
      ['4', '2011', '2011', '', 'Q', '~', 'Total', 'Total'],
      ['5', '2011', '2011', 'Ohio', 'Q', '~', 'Total', 'Total'],
      ['6', '2011', '2011', 'Ohio', 'Q', '', 'Total', 'Total'],
      ['7', '2011', '2011', 'Ohio', 'Q', 'NaN', 'Total', 'Total'],
      ['8', '2011', '2011', 'Ohio', 'Q', ' 2.5 ', '', ''],
      ['9', '2011', '2011', 'Ohio'],
      ['10'],
    ]);
    expect(builder.report).toEqual({
      rows: 11,
      kept: 2,
      skipped: { emptyQuestion: 4, emptyLocation: 2, nonNumericValue: 3, outsideYears: 0 },
    });
  });

  it('reads the fields a short row lacks as empty', () => {
    // LocationDesc before Data_Value and the strata last, so a short row can lack each alone.
    const builder = new ColumnsBuilder();
    builder.addRow([...REQUIRED_COLUMNS]);
    builder.addRow(['Q']);
    builder.addRow(['Q', 'Ohio', '3']);
    builder.addRow(['Q', 'Ohio', '5', 'Total']);
    expect(builder.report).toEqual({
      rows: 3,
      kept: 2,
      skipped: { emptyQuestion: 0, emptyLocation: 1, nonNumericValue: 0, outsideYears: 0 },
    });
    expect(builder.finish().dictionaries).toEqual({
      questions: ['Q'],
      states: ['Ohio'],
      categories: ['', 'Total'],
      strata: [''],
    });
  });

  it('keeps text exactly as written and trims only Data_Value', () => {
    const columns = build([
      ['0', '2011', '2011', ' Ohio', 'Q', ' 1 ', ' Total', 'Total '],
      ['1', '2011', '2011', 'Ohio', ' ', '\t2\t', 'Total', 'Total'],
      ['2', '2011', '2011', 'Ohio', 'Q', '3', 'Total', 'Total'],
    ]).finish();
    expect(columns.dictionaries).toEqual({
      questions: ['Q', ' '],
      states: [' Ohio', 'Ohio'],
      categories: [' Total', 'Total'],
      strata: ['Total ', 'Total'],
    });
    expect([...columns.value]).toEqual([1, 2, 3]);
    expect([...columns.question]).toEqual([0, 1, 0]);
    expect([...columns.state]).toEqual([0, 1, 1]);
  });

  it('keeps rows inside an inclusive year window and counts the others', () => {
    const row = (start: string, end: string) => ['', start, end, 'Ohio', 'Q', '1', 'Total', 'Total'];
    const rows = [
      row('2015', '2015'),
      row('2014', '2015'),
      row('2018', '2018'),
      row('2018', '2019'),
      row('2016', '2017'),
      row('', '2016'),
      row('2016', 'soon'),
      row(' 2017 ', '2017'),
    ];
    expect(build(rows, [2015, 2018]).report).toMatchObject({ rows: 8, kept: 4, skipped: { outsideYears: 4 } });
    expect(build(rows).report).toMatchObject({ rows: 8, kept: 8, skipped: { outsideYears: 0 } });
    expect(build(rows, [2016, 2016]).report).toMatchObject({ kept: 0, skipped: { outsideYears: 8 } });
  });

  it('checks the value before the years', () => {
    const builder = build([['', '1999', '1999', 'Ohio', 'Q', '~', '', '']], [2011, 2022]);
    expect(builder.report.skipped).toMatchObject({ nonNumericValue: 1, outsideYears: 0 });
  });

  it('grows past its initial capacity and trims to the rows kept', () => {
    const rows = Array.from({ length: 40_000 }, (_, i) => [
      '',
      '2011',
      '2011',
      `S${i % 7}`,
      `Q${i % 3}`,
      i % 5 === 0 ? '' : String(i),
      'C',
      `T${i % 2}`,
    ]);
    const columns = build(rows).finish();
    expect(columns.length).toBe(32_000);
    for (const array of [columns.question, columns.state, columns.category, columns.stratum, columns.value]) {
      expect(array.length).toBe(32_000);
    }
    expect(columns.value[0]).toBe(1);
    expect(columns.value[31_999]).toBe(39_999);
    expect(columns.dictionaries.states[columns.state[31_999] as number]).toBe(`S${39_999 % 7}`);
    expect(columns.dictionaries.questions).toEqual(['Q1', 'Q2', 'Q0']);
  });
});
