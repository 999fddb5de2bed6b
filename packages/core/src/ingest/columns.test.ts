import { describe, expect, it } from 'vitest';
import { locateColumns, REQUIRED_COLUMNS } from './columns';

describe('locateColumns', () => {
  it('finds each used column by name, ignoring the others', () => {
    const header = [
      'YearStart',
      'YearEnd',
      'LocationAbbr',
      'LocationDesc',
      'Question',
      'Data_Value',
      'Extra',
      'StratificationCategory1',
      'Stratification1',
    ];
    expect(locateColumns(header)).toEqual({
      Question: 4,
      LocationDesc: 3,
      Data_Value: 5,
      StratificationCategory1: 7,
      Stratification1: 8,
      YearStart: 0,
      YearEnd: 1,
    });
  });

  it('compares names after trimming and accepts an unnamed first index column', () => {
    const header = [
      '',
      ' YearStart',
      'YearEnd ',
      'High_Confidence_Limit ',
      '\tLocationDesc\t',
      'Question',
      'Data_Value  ',
      'StratificationCategory1',
      'Stratification1',
    ];
    expect(locateColumns(header)).toMatchObject({ YearStart: 1, YearEnd: 2, LocationDesc: 4, Data_Value: 6 });
  });

  it('takes the first of duplicate names', () => {
    const header = [...REQUIRED_COLUMNS, 'Question', ' Data_Value'];
    expect(locateColumns(header)).toMatchObject({ Question: 0, Data_Value: 2 });
  });

  it('is case sensitive', () => {
    expect(() => locateColumns(REQUIRED_COLUMNS.map((name) => name.toLowerCase()))).toThrow(
      expect.objectContaining({ name: 'LeStatsDataError', code: 'missing_columns' }),
    );
  });

  it('names the one missing column', () => {
    expect(() => locateColumns(REQUIRED_COLUMNS.filter((name) => name !== 'Data_Value'))).toThrow(
      expect.objectContaining({
        name: 'LeStatsDataError',
        code: 'missing_columns',
        message: 'CSV header lacks required column: Data_Value',
      }),
    );
  });

  it('names every missing column', () => {
    expect(() => locateColumns(['Question', 'YearStart', 'Stratification1'])).toThrow(
      expect.objectContaining({
        name: 'LeStatsDataError',
        code: 'missing_columns',
        message: 'CSV header lacks required columns: LocationDesc, Data_Value, StratificationCategory1, YearEnd',
      }),
    );
  });
});
