// Our server as `lestats serve` runs it: serve() from the built @lestats/server on the
// default sample, a file store and the rotating request log.
import { DataIngestor } from '@lestats/core';
import { serve } from '@lestats/server';
import { host } from './host';

const [resultsDir, logFile, threads] = process.argv.slice(2);
const server = await serve({
  data: DataIngestor.sample(),
  port: 0,
  resultsDir,
  threads: Number(threads),
  log: { file: logFile },
});
host({ url: server.url, close: () => server.close() });
