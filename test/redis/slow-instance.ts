// One instance of the service whose jobs pile up (core's slow test worker takes 150 ms a
// batch), so that killing it leaves jobs queued and running. Built packages, like the CLI.
// Arguments: data file, Redis URL, folder for its log and its copies of results (a SIGKILL
// leaves no chance to remove a temporary one). Prints "serving <url>" once it listens.
import { join } from 'node:path';
import { DataIngestor } from '@lestats/core';
import { serve } from '@lestats/server';

const [dataFile, store, dir] = process.argv.slice(2) as [string, string, string];
const server = await serve({
  data: await DataIngestor.fromFile(dataFile),
  port: 0,
  threads: 1,
  store,
  resultsDir: join(dir, 'results'),
  log: { file: join(dir, 'webserver.log') },
  workerFile: new URL('../../packages/core/src/jobs/test-workers/slow.mjs', import.meta.url),
});
process.stdout.write(`serving ${server.url}\n`);
