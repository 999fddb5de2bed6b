import { fail } from '../errors';

/** The CSV columns the statistics use, by header name; every other column is ignored. */
export const REQUIRED_COLUMNS = [
  'Question',
  'LocationDesc',
  'Data_Value',
  'StratificationCategory1',
  'Stratification1',
  'YearStart',
  'YearEnd',
] as const;

/** One of {@link REQUIRED_COLUMNS}. */
export type ColumnName = (typeof REQUIRED_COLUMNS)[number];

/** Where each used column sits in a row. */
export type ColumnPositions = Readonly<Record<ColumnName, number>>;

/**
 * Finds the used columns by header name, compared after trimming (the CDC file has
 * `High_Confidence_Limit ` with a trailing space); the first occurrence of a name wins.
 */
export function locateColumns(header: readonly string[]): ColumnPositions {
  const byName = new Map<string, number>();
  header.forEach((name, i) => {
    const trimmed = name.trim();
    if (!byName.has(trimmed)) byName.set(trimmed, i);
  });
  const missing = REQUIRED_COLUMNS.filter((name) => !byName.has(name));
  if (missing.length > 0) {
    const plural = missing.length > 1 ? 's' : '';
    throw fail.data('missing_columns', `CSV header lacks required column${plural}: ${missing.join(', ')}`);
  }
  return Object.fromEntries(REQUIRED_COLUMNS.map((name) => [name, byName.get(name) as number])) as ColumnPositions;
}
