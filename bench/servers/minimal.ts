// (a) The framework alone: @whatwg-node/server + itty-router answering a fixed JSON body.
// Its POST route reads and parses the JSON body first, as any submit must: the framework's
// own cost for the kind of request (c) measures.
import { createServerAdapter, Response } from '@whatwg-node/server';
import { Router } from 'itty-router';
import { host, listen } from './host';

const reply = (body: string) => new Response(body, { headers: { 'content-type': 'application/json' } });
const router = Router();
router.get('/api/num_jobs', () => reply('{"num_jobs":0}'));
router.post('/api/states_mean', async (request) => {
  await request.json();
  return reply('{"job_id":"job_id_1"}');
});

host(await listen(createServerAdapter(router.fetch)));
