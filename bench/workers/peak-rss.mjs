// Ingests one CSV file in a fresh process and reports its peak resident set size, so
// nothing allocated before the ingest counts. Plain JavaScript on the built package: no
// loader in the process adds to the figure. Prints one JSON line on stdout.
import { DataIngestor } from '@lestats/core';

const path = process.argv[2];
if (path === undefined) throw new Error('usage: node peak-rss.mjs FILE');
const rssBefore = process.memoryUsage().rss;
const data = await DataIngestor.fromFile(path);
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(`${JSON.stringify({ rssBefore, peakRss, kept: data.report.kept })}\n`);
