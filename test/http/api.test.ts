// The HTTP API of SPEC section 5 against a real listener: every route, every error shape.
import { LeStatsRunnerError, QUERY_NAMES, type QueryName, type StateParams } from '@lestats/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  call,
  cleanUp,
  data,
  doneBody,
  post,
  QUESTION,
  result,
  STATE,
  startServer,
  submit,
  type TestServer,
  UNRANKED,
} from './harness';

const ERROR = { status: 'error', reason: expect.any(String) };
const PARAMS: StateParams = { question: QUESTION, state: STATE };

// The ids /api/jobs lists (one page of them, given a query), whatever their status.
async function jobIds(query = ''): Promise<string[]> {
  const { data: list } = (await call(url, `/api/jobs${query}`)).body as { data: object[] };
  return list.flatMap((entry) => Object.keys(entry));
}

let served: TestServer;
let url: string;

beforeAll(async () => {
  served = await startServer();
  url = served.server.url;
});
afterEach(() => {
  vi.restoreAllMocks();
});
afterAll(cleanUp);

describe('query routes', () => {
  it.each(QUERY_NAMES)('POST /api/%s queues a job whose result is exactly the data set’s', async (name: QueryName) => {
    const id = await submit(url, name, PARAMS);
    const answer = await result(url, id);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(doneBody(data.queryJson(name, PARAMS)));
  });

  it('keeps Python float formatting in results (19.0, not 19)', async () => {
    const id = await submit(url, 'global_mean', { question: QUESTION });
    const { text } = await result(url, id);
    expect(text).toBe(doneBody(data.queryJson('global_mean', { question: QUESTION })));
    expect(text).toMatch(/^\{"status":"done","data":\{"global_mean":-?\d+\.\d+\}\}$/);
  });

  it('accepts valid JSON sent under any content type, as Flask clients send it', async () => {
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', '']) {
      const answer = await post(url, '/api/global_mean', { question: QUESTION }, { 'content-type': type });
      expect(answer.status).toBe(200);
      const { job_id } = answer.body as { job_id: string };
      expect((await result(url, job_id)).text).toBe(doneBody(data.queryJson('global_mean', { question: QUESTION })));
    }
  });

  it.each([
    ['an array', '[]'],
    ['null', 'null'],
    ['a string', '"question"'],
    ['a number', '42'],
    ['broken JSON', '{"question": '],
    ['an empty body', ''],
  ])('answers 400 to a body that is %s, and creates no job', async (_what, body) => {
    const before = await jobIds();
    const answer = await post(url, '/api/states_mean', body);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ status: 'error', reason: 'request body must be a JSON object' });
    expect(await jobIds()).toEqual(before);
  });

  it('answers 400 to a body that is not UTF-8', async () => {
    const body = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x7d]);
    const answer = await call(url, '/api/states_mean', { method: 'POST', body });
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ status: 'error', reason: 'request body is not valid UTF-8' });
  });

  it.each([
    ['no question', 'states_mean', {}, /question/],
    ['a question that is not a string', 'states_mean', { question: 7 }, /question/],
    ['an unknown question', 'states_mean', { question: 'How tall are giraffes?' }, /unknown question/],
    ['no state where one is needed', 'state_mean', { question: QUESTION }, /state/],
    ['a state with no data', 'state_diff_from_mean', { question: QUESTION, state: 'Atlantis' }, /Atlantis/],
    ['a ranking of a question without a direction', 'best5', { question: UNRANKED }, /ranking/],
    ['a ranking of a question without a direction', 'worst5', { question: UNRANKED }, /ranking/],
  ])('answers 400 to %s (%s), and creates no job', async (_what, name, params, reason) => {
    const before = await jobIds();
    const answer = await post(url, `/api/${name}`, params);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual(ERROR);
    expect((answer.body as { reason: string }).reason).toMatch(reason);
    expect(await jobIds()).toEqual(before);
  });

  it('answers 503 "queue full" when the runner refuses for a full queue', async () => {
    vi.spyOn(served.server.runner, 'submit').mockRejectedValueOnce(
      new LeStatsRunnerError('queue_full', 'queue full: 1 waiting'),
    );
    const answer = await post(url, '/api/states_mean', { question: QUESTION });
    expect(answer.status).toBe(503);
    expect(answer.text).toBe('{"status":"error","reason":"queue full"}');
  });
});

describe('get_results', () => {
  it.each([
    'job_id_0',
    'nope',
    '..%2F..',
    'job_id_1x',
    'job_id_-1',
    'job_id_01',
    'job_id_',
    'JOB_ID_1',
    'job_id_1%20',
    'job_id_%ZZ',
    'job_id_%',
  ])('answers 400 "Invalid job_id" to the malformed id %s', async (id) => {
    const answer = await call(url, `/api/get_results/${id}`);
    expect(answer.status).toBe(400);
    expect(answer.text).toBe('{"status":"error","reason":"Invalid job_id"}');
  });

  it('reads a percent-encoded id as the id it encodes, as Flask does', async () => {
    const id = await submit(url, 'global_mean', { question: QUESTION });
    const { text } = await result(url, id);
    const encoded = [...id].map((c) => (/\d/.test(c) ? c : `%${c.charCodeAt(0).toString(16)}`)).join('');
    const answer = await call(url, `/api/get_results/${encoded}`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(text);
  });

  it('answers 404 with the same body for a well-formed id never issued', async () => {
    for (const id of [
      'job_id_999999',
      'job_id_9007199254740991',
      'job_id_9007199254740992',
      `job_id_${'9'.repeat(40)}`,
    ]) {
      const answer = await call(url, `/api/get_results/${id}?wait=50`);
      expect(answer.status).toBe(404);
      expect(answer.text).toBe('{"status":"error","reason":"Invalid job_id"}');
    }
  });

  it.each(['abc', '-1', '1.5', '', '1e3'])('answers 400 to ?wait=%s', async (wait) => {
    const id = await submit(url, 'global_mean', { question: QUESTION });
    const answer = await call(url, `/api/get_results/${id}?wait=${wait}`);
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ status: 'error', reason: 'Invalid wait: expected a whole number of milliseconds' });
  });

  it.each([
    ['store_unavailable', 'store unavailable: Redis is down'],
    ['shutting_down', 'shutting down: no new jobs are accepted'],
  ] as const)(
    'answers running, as a job that may still run elsewhere, when the wait fails with %s',
    async (code, message) => {
      const id = await submit(url, 'global_mean', { question: QUESTION });
      vi.spyOn(served.server.runner, 'settled').mockRejectedValueOnce(new LeStatsRunnerError(code, message));
      const answer = await call(url, `/api/get_results/${id}?wait=50`);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('{"status":"running"}');
    },
  );

  it('answers a finished job at once, even with a long wait', async () => {
    const id = await submit(url, 'states_mean', { question: QUESTION });
    await result(url, id);
    const started = performance.now();
    const answer = await call(url, `/api/get_results/${id}?wait=99999`);
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(answer.text).toBe(doneBody(data.queryJson('states_mean', { question: QUESTION })));
  });
});

describe('listings', () => {
  it('GET /api/jobs lists every job in id order with running, done or error', async () => {
    const ids = [await submit(url, 'best5', PARAMS), await submit(url, 'worst5', PARAMS)];
    await Promise.all(ids.map((id) => result(url, id)));
    const answer = await call(url, '/api/jobs');
    expect(answer.status).toBe(200);
    const { status, data: list } = answer.body as { status: string; data: Array<Record<string, string>> };
    expect(status).toBe('done');
    const entries = list.map((entry) => Object.entries(entry));
    expect(entries.every((entry) => entry.length === 1)).toBe(true);
    const numbers = entries.map(([[id]]) => Number((id as string).slice('job_id_'.length)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(numbers).toEqual(numbers.map((_, i) => i + 1));
    expect(new Set(entries.map(([[, value]]) => value))).toEqual(new Set(['done']));
    expect(list.slice(-2)).toEqual(ids.map((id) => ({ [id]: 'done' })));
  });

  it('GET /api/jobs pages by ?offset=&limit=, and answers 400 to a page that is not a whole number', async () => {
    const submitted = [await submit(url, 'best5', PARAMS), await submit(url, 'worst5', PARAMS)];
    await Promise.all(submitted.map((id) => result(url, id)));
    const ids = await jobIds();
    expect(await jobIds('?offset=1&limit=2')).toEqual(ids.slice(1, 3));
    // A limit alone still counts from the first job.
    expect(await jobIds('?limit=1')).toEqual(ids.slice(0, 1));
    const refused = await call(url, '/api/jobs?offset=-1');
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({ status: 'error', reason: 'Invalid offset: expected a whole number >= 0' });
  });

  it('GET /api/jobs shows a queued job as running, and the others as they are', async () => {
    vi.spyOn(served.server.runner, 'jobs').mockResolvedValueOnce([
      { id: 'job_id_1', status: 'queued' },
      { id: 'job_id_2', status: 'running' },
      { id: 'job_id_3', status: 'done' },
      { id: 'job_id_4', status: 'error' },
    ]);
    const answer = await call(url, '/api/jobs');
    expect(answer.status).toBe(200);
    expect(answer.text).toBe(
      '{"status":"done","data":[{"job_id_1":"running"},{"job_id_2":"running"},{"job_id_3":"done"},{"job_id_4":"error"}]}',
    );
  });

  it('GET /api/num_jobs counts jobs queued or running', async () => {
    const answer = await call(url, '/api/num_jobs');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ num_jobs: served.server.runner.pending() });
    expect(Object.keys(answer.body as object)).toEqual(['num_jobs']);
  });

  it('GET /api/questions lists every question with its ranking direction and state count', async () => {
    const answer = await call(url, '/api/questions');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'done', data: data.questions() });
    const unranked = (answer.body as { data: Array<{ question: string; best: unknown }> }).data.find(
      (q) => q.question === UNRANKED,
    );
    expect(unranked?.best).toBeNull();
  });

  it('GET /api/states lists the states, sorted', async () => {
    const answer = await call(url, '/api/states');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ status: 'done', data: data.states() });
    expect(data.states()).toContain('National');
  });

  it('GET /api/health reports the data set, job counts and whether jobs are accepted', async () => {
    const answer = await call(url, '/api/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      status: 'ok',
      dataset: { source: 'sample', rows: data.report.rows, kept: data.report.kept },
      jobs: served.server.runner.counts(),
      accepting: true,
    });
    expect(Object.keys((answer.body as { jobs: object }).jobs)).toEqual(['queued', 'running', 'done', 'error']);
  });
});

describe('routing errors', () => {
  it.each([
    ['GET', '/api/nope'],
    ['GET', '/nope'],
    ['GET', '/api'],
    ['POST', '/api/nope'],
    ['GET', '/api/get_results'],
    ['GET', '/api/get_results/job_id_1/extra'],
    ['GET', '/api/states_mean/extra'],
  ])('answers 404 to %s %s', async (method, path) => {
    const answer = await call(url, path, { method });
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ status: 'error', reason: 'not found' });
  });

  it.each([
    ['GET', '/api/states_mean', 'POST'],
    ['PUT', '/api/state_mean_by_category', 'POST'],
    ['HEAD', '/api/global_mean', 'POST'],
    ['POST', '/api/jobs', 'GET, HEAD'],
    ['DELETE', '/api/get_results/job_id_1', 'GET, HEAD'],
    ['POST', '/api/graceful_shutdown', 'GET, HEAD'],
  ])('answers 405 to %s %s, allowing %s', async (method, path, allow) => {
    if (method === 'HEAD') {
      const response = await fetch(`${url}${path}`, { method });
      expect(response.status).toBe(405);
      expect(response.headers.get('allow')).toBe(allow);
      return;
    }
    const answer = await call(url, path, { method, ...(method === 'GET' ? {} : { body: '{}' }) });
    expect(answer.status).toBe(405);
    expect(answer.headers.get('allow')).toBe(allow);
    expect(answer.body).toEqual({ status: 'error', reason: 'method not allowed' });
  });

  it.each([
    '/api/num_jobs',
    '/api/jobs',
    '/api/questions',
    '/api/states',
    '/api/health',
    '/api/get_results/job_id_999999',
    '/api/get_results/nope',
    '/api/nope',
  ])('answers HEAD %s as GET would, without the body', async (path) => {
    const get = await call(url, path);
    const head = await fetch(`${url}${path}`, { method: 'HEAD' });
    expect(head.status).toBe(get.status);
    expect(head.headers.get('content-type')).toBe('application/json');
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(get.text)));
    expect(await head.text()).toBe('');
  });

  it('answers HEAD for a finished job with the length of its result', async () => {
    const id = await submit(url, 'best5', { question: QUESTION });
    const { text } = await result(url, id);
    const head = await fetch(`${url}/api/get_results/${id}`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe(String(Buffer.byteLength(text)));
  });

  it('answers 500 without the internal message when something unexpected breaks', async () => {
    vi.spyOn(served.server.runner, 'list').mockImplementation(() => {
      throw new Error('secret internal detail');
    });
    const answer = await call(url, '/api/jobs');
    expect(answer.status).toBe(500);
    expect(answer.text).toBe('{"status":"error","reason":"internal server error"}');
    // The server keeps serving.
    expect((await call(url, '/api/num_jobs')).status).toBe(200);
  });
});
