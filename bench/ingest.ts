import { execFile } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { DataIngestor } from '@lestats/core';
import { csvParseRows } from 'd3-dsv';
import { collectGarbage, median, progress, timeMs } from './measure';
import { dataSizes, sampleFile } from './sample-files';
import type { Scenario } from './scenario';
import { type Metric, metric } from './table';

const MIB = 1024 * 1024;

async function peakRss(path: string): Promise<{ rssBefore: number; peakRss: number }> {
  const script = fileURLToPath(new URL('./workers/peak-rss.mjs', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, [script, path]);
  return JSON.parse(stdout);
}

/**
 * Issue 3 (a)–(c): DataIngestor.fromFile against d3-dsv's bare csvParseRows on the same
 * text (read beforehand; only the parse is timed), and the peak RSS of ingesting the
 * large file in a fresh process against the file's size.
 */
export const ingest: Scenario = async ({ quick, tmpDir }) => {
  const metrics: Metric[] = [];
  const details: Record<string, unknown> = {};
  let largest = '';
  for (const { label, rows } of dataSizes(quick)) {
    const path = await sampleFile(tmpDir, rows);
    largest = path;
    const text = await readFile(path, 'utf8');
    const runs = quick ? 2 : rows > 100_000 ? 3 : 15;
    const times = { ingest: [] as number[], parse: [] as number[], parseDropping: [] as number[] };
    // Interleaved, so drift on a shared machine hits all three alike. Run -1 warms the JIT
    // up; the large file comes after the small one, when the JIT is warm already.
    for (let run = rows > 100_000 ? 0 : -1; run < runs; run++) {
      collectGarbage();
      const ingestMs = await timeMs(() => DataIngestor.fromFile(path));
      collectGarbage();
      const parseMs = await timeMs(() => csvParseRows(text));
      collectGarbage();
      const dropMs = await timeMs(() => csvParseRows(text, () => null));
      if (run < 0) continue;
      times.ingest.push(ingestMs);
      times.parse.push(parseMs);
      times.parseDropping.push(dropMs);
    }
    progress(`ingest ${label}: ${runs} runs`);
    const ingestMs = median(times.ingest);
    metrics.push(
      metric({
        name: `${label}: DataIngestor.fromFile`,
        value: ingestMs,
        unit: 'ms',
        baseline: median(times.parse),
        baselineName: 'csvParseRows',
        targets: [{ on: 'ratio', op: '<=', limit: 1.2 }],
      }),
      metric({
        name: `${label}: the same, against a parse keeping no rows`,
        value: ingestMs,
        unit: 'ms',
        baseline: median(times.parseDropping),
        baselineName: 'csvParseRows(text, () => null)',
        note: 'bare csvParseRows(text) also builds the array of every row; this parse drops each row at once',
      }),
    );
    details[label] = { rows, bytes: Buffer.byteLength(text), runs, times };
  }
  const { size } = await stat(largest);
  const rss = await peakRss(largest);
  const label = dataSizes(quick).at(-1)?.label;
  metrics.push(
    metric({
      name: `${label}: peak RSS of ingest (fresh process)`,
      value: rss.peakRss / MIB,
      unit: 'MiB',
      baseline: size / MIB,
      baselineName: 'file size',
      targets: [{ on: 'ratio', op: '<=', limit: 2.5 }],
      note: `includes the Node process itself (${(rss.rssBefore / MIB).toFixed(0)} MiB before ingest)`,
    }),
  );
  details.peakRss = { fileBytes: size, ...rss };
  return { title: 'Ingest (issue 3 a-c)', metrics, details };
};
