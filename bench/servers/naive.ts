// (e) The baseline job service, written plainly the way the original Flask service works:
// the same libraries, each job one task on a worker pool (as Flask's thread pool runs
// them), one writeFile + rename per job, and get_results reading the file once the job is
// done. Clients poll it without `?wait`.
import { readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DataIngestor, isQueryName } from '@lestats/core';
import { createServerAdapter, Response } from '@whatwg-node/server';
import { type IRequest, Router } from 'itty-router';
import Tinypool from 'tinypool';
import { host, listen } from './host';

const [resultsDir = 'results', threads = '2'] = process.argv.slice(2);
const data = DataIngestor.sample();
const pool = new Tinypool({
  filename: new URL('../workers/naive-query.mjs', import.meta.url).href,
  minThreads: Number(threads),
  maxThreads: Number(threads),
});
const done: boolean[] = [];
let lastId = 0;

const reply = (status: number, body: string) =>
  new Response(body, { status, headers: { 'content-type': 'application/json' } });
const fileOf = (id: number) => join(resultsDir, `job_id_${id}.json`);

async function runJob(id: number, query: string, params: unknown): Promise<void> {
  const text: string = await pool.run({ name: query, params });
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
  void runJob(id, query, params);
  return reply(200, JSON.stringify({ job_id: `job_id_${id}` }));
});
router.get('/api/get_results/:id', async (request: IRequest) => {
  const id = Number((request.params.id as string).slice('job_id_'.length));
  if (!done[id]) return reply(200, '{"status":"running"}');
  return reply(200, `{"status":"done","data":${await readFile(fileOf(id), 'utf8')}}`);
});

const server = await listen(createServerAdapter(router.fetch));
host({
  url: server.url,
  close: async () => {
    await server.close();
    await pool.destroy();
  },
});
