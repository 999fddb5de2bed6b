// (e) The baseline job service, written plainly the way the original Flask service works:
// the same libraries, a job answered on the main thread right after its submission, one
// writeFile + rename per job, and get_results reading the file once the job is done.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataIngestor, isQueryName } from '@lestats/core';
import { createServerAdapter, Response } from '@whatwg-node/server';
import { type IRequest, Router } from 'itty-router';
import { host, listen } from './host';

const [resultsDir = 'results'] = process.argv.slice(2);
const data = DataIngestor.sample();
const done: boolean[] = [];
let lastId = 0;

const reply = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'application/json' } });
const fileOf = (id: number) => join(resultsDir, `job_id_${id}.json`);

async function runJob(id: number, query: string, params: unknown): Promise<void> {
  const text = data.queryJson(query as never, params as never);
  const temporary = join(resultsDir, `.job_id_${id}.tmp`);
  await writeFile(temporary, text);
  await rename(temporary, fileOf(id));
  done[id] = true;
}

const router = Router();
router.post('/api/:query', async (request: IRequest) => {
  const query = request.params.query as string;
  const params: unknown = await request.json().catch(() => undefined);
  try {
    if (!isQueryName(query)) throw new Error('unknown query');
    data.resolve(query, params);
  } catch {
    return reply(400, JSON.stringify({ status: 'error', reason: 'bad request' }));
  }
  const id = ++lastId;
  setImmediate(() => void runJob(id, query, params));
  return reply(200, JSON.stringify({ job_id: `job_id_${id}` }));
});
router.get('/api/get_results/:id', async (request: IRequest) => {
  const id = Number((request.params.id as string).slice('job_id_'.length));
  if (!done[id]) return reply(200, '{"status":"running"}');
  return reply(200, `{"status":"done","data":${await readFile(fileOf(id), 'utf8')}}`);
});

host(await listen(createServerAdapter(router.fetch)));
