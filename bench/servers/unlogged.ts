// Diagnostic for (b): our handler and runner on the same listener as (a), without the request
// log. The gap between this and (b) is what the two log lines of every request (SPEC 6) cost.
import { DataIngestor, fileStore, JobRunner } from '@lestats/core';
import { createHandler } from '@lestats/server';
import { createServerAdapter, Response } from '@whatwg-node/server';
import { host, listen } from './host';

const [resultsDir, threads] = process.argv.slice(2);
const data = DataIngestor.sample();
const runner = new JobRunner({ data, threads: Number(threads), store: fileStore(resultsDir as string) });
await runner.ready();
const handler = createHandler({ data, runner, fetchAPI: { Response }, trustContentLength: true });
const server = await listen(createServerAdapter(handler));
host({
  url: server.url,
  close: async () => {
    await server.close();
    await runner.shutdown();
  },
});
