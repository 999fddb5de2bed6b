// Mount the Le Stats Sportif API inside your own node:http server, next to your own routes.
// createHandler is a plain fetch-style (Request) => Promise<Response> function, so the same
// handler also mounts in Deno, Bun, Hono or any framework that speaks Fetch.
// Run: npx tsx examples/mount-handler.ts
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DataIngestor, JobRunner } from '@lestats/core';
import { createHandler } from '@lestats/server';
import { createServerAdapter } from '@whatwg-node/server';

const data = DataIngestor.sample();
const runner = new JobRunner({ data, threads: 1 });
const stats = createHandler({ data, runner });

// Our own app: /api/* goes to Le Stats Sportif, everything else is ours.
const app = createServerAdapter(async (request: Request) => {
  const { pathname } = new URL(request.url);
  if (pathname.startsWith('/api/')) return stats(request);
  if (pathname === '/hello') return Response.json({ hello: 'from my own route' });
  return new Response('not here', { status: 404 });
});

const server = createServer(app).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
console.log(`listening on ${base}`);

console.log('GET /hello ->', await (await fetch(`${base}/hello`)).text());
const question = 'Percent of adults aged 18 years and older who have obesity';
const submitted = await fetch(`${base}/api/global_mean`, { method: 'POST', body: JSON.stringify({ question }) });
const { job_id } = (await submitted.json()) as { job_id: string };
const result = await fetch(`${base}/api/get_results/${job_id}?wait=5000`);
console.log(`POST /api/global_mean -> ${job_id}; GET /api/get_results/${job_id} ->`, await result.text());

await runner.shutdown();
server.close();
