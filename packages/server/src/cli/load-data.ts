import { DataIngestor, type YearWindow } from '@lestats/core';
import type { CliIo } from './io';
import { fileProgress } from './progress';

/** Said on stderr whenever a command runs on the built-in sample. */
const SAMPLE_WARNING =
  'lestats: WARNING: no --data given, using the built-in SYNTHETIC sample: it is NOT real CDC data ' +
  '(get the real file from data.cdc.gov, data set hn4x-zwk7, and pass it with --data FILE)\n';

/** The `--data` and `--years` flags shared by `serve` and `query`. */
export interface DataFlags {
  data?: string;
  years?: YearWindow;
}

/**
 * Loads `--data FILE`, or the sample (saying so loudly). On a terminal, a big file's
 * progress is shown while it is read.
 */
export async function loadData({ data, years }: DataFlags, io: CliIo): Promise<DataIngestor> {
  if (data === undefined) {
    io.stderr.write(SAMPLE_WARNING);
    return DataIngestor.sample({ years });
  }
  const progress = io.stderr.isTTY ? fileProgress(io.stderr, data) : undefined;
  try {
    return await DataIngestor.fromFile(data, { years, onProgress: progress?.update });
  } finally {
    progress?.done();
  }
}
