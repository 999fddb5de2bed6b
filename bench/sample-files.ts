import { access, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sampleCsv } from '@lestats/core';

/** A data set the ingest and query scenarios measure: a label for tables and its row count. */
export interface DataSize {
  label: string;
  rows: number;
}

/** The default sample and the large one (smaller under --quick). */
export function dataSizes(quick: boolean): DataSize[] {
  return [{ label: '18k', rows: 18_000 }, quick ? { label: '50k', rows: 50_000 } : { label: '500k', rows: 500_000 }];
}

/** The path of a sample CSV of `rows` rows in `dir`, generated on first use and then shared by the scenarios. */
export async function sampleFile(dir: string, rows: number): Promise<string> {
  const path = join(dir, `sample-${rows}.csv`);
  try {
    await access(path);
    return path;
  } catch {
    const partial = `${path}.${process.pid}.part`;
    await writeFile(partial, sampleCsv({ rows }));
    await rename(partial, path);
    return path;
  }
}
