// (a) The framework alone: @whatwg-node/server + itty-router answering a fixed JSON body.
import { createServerAdapter, Response } from '@whatwg-node/server';
import { Router } from 'itty-router';
import { host, listen } from './host';

const body = JSON.stringify({ num_jobs: 0 });
const router = Router();
router.get('/api/num_jobs', () => new Response(body, { headers: { 'content-type': 'application/json' } }));

host(await listen(createServerAdapter(router.fetch)));
