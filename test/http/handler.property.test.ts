// createHandler against arbitrary requests: whatever a client sends, the answer is one of the
// SPEC's statuses in its JSON shape, never a 500, and the handler keeps its job ids in order.
import { JobRunner, QUERY_NAMES } from '@lestats/core';
import { createHandler, type RequestEnd } from '@lestats/server';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { data, QUESTION, STATE, UNRANKED } from './harness';

const TOKEN = 'a-long-admin-token-no-generated-header-can-guess';
const runner = new JobRunner({ data, threads: 1 });
afterAll(() => runner.shutdown());

const failures: RequestEnd[] = [];
const handler = createHandler({
  data,
  runner,
  adminToken: TOKEN,
  observer: { start: () => {}, end: (info) => (info.error === undefined ? undefined : failures.push(info)) },
});

const jobId = fc.oneof(
  fc.integer({ min: 1, max: 40 }).map((n) => `job_id_${n}`),
  fc.constantFrom(
    'job_id_0',
    'job_id_01',
    `job_id_${'9'.repeat(30)}`,
    'job%5Fid%5F1',
    '%2e%2e',
    '..',
    '%',
    '%ZZ',
    '%00',
  ),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const segment = fc.oneof(
  fc.constantFrom('api', 'get_results', 'jobs', 'num_jobs', 'graceful_shutdown', 'questions', 'states', 'health'),
  fc.constantFrom(...QUERY_NAMES, 'explorer', '.', '..', '', '%C3%A9', '%FF'),
  fc.string({ maxLength: 12 }).map(encodeURIComponent),
);
const anyMethod = fc.constantFrom('GET', 'POST', 'HEAD', 'PUT', 'DELETE', 'PATCH', 'OPTIONS');
const readRoute = fc.oneof(
  jobId.map((id) => `/api/get_results/${id}`),
  fc
    .constantFrom('jobs', 'num_jobs', 'graceful_shutdown', 'questions', 'states', 'health')
    .map((name) => `/api/${name}`),
);
const queryRoute = fc.constantFrom(...QUERY_NAMES).map((name) => `/api/${name}`);
// Mostly requests aimed at a route with its method, so that most get past the router.
const target = fc.oneof(
  { weight: 3, arbitrary: fc.record({ method: fc.constant('POST'), path: queryRoute }) },
  { weight: 3, arbitrary: fc.record({ method: fc.constantFrom('GET', 'HEAD'), path: readRoute }) },
  {
    weight: 2,
    arbitrary: fc.record({
      method: anyMethod,
      path: fc.oneof(
        queryRoute,
        readRoute,
        fc.array(segment, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join('/')}`),
      ),
    }),
  },
);
const search = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?wait=0', '?wait=5', '?wait=-1', '?wait=1e3', '?wait=99999999999999999999', '?wait=x'),
  fc.constantFrom('?offset=0&limit=2', '?offset=-1', '?limit=0', '?limit=x', '?offset=1&offset=2', '?limit=1e309'),
  fc.string({ maxLength: 10 }).map((text) => `?${encodeURIComponent(text)}=${encodeURIComponent(text)}`),
);
const field = (usual: string) =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constant(usual) },
    { weight: 1, arbitrary: fc.constantFrom('Nowhere', '', ' Ohio ', 'ohio', UNRANKED) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
const body = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .record({ question: field(QUESTION), state: field(STATE), other: fc.jsonValue() }, { requiredKeys: [] })
      .map((value) => JSON.stringify(value)),
  },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 40 }) },
);
const request = fc.record({
  target,
  search,
  body: fc.option(body, { nil: undefined, freq: 8 }),
  authorization: fc.option(fc.constantFrom('Bearer wrong', `Bearer ${TOKEN.slice(1)}`, 'Basic x', ''), {
    nil: undefined,
  }),
  contentType: fc.option(fc.constantFrom('application/json', 'text/plain', 'multipart/form-data; boundary=x'), {
    nil: undefined,
  }),
});

const STATUSES = [200, 400, 401, 404, 405, 413];
let lastJob = 0;

describe('createHandler on arbitrary requests', () => {
  it('always answers one of the SPEC statuses in its JSON shape and issues ids in order', async () => {
    await fc.assert(
      fc.asyncProperty(request, async ({ target: { method, path }, search, body, authorization, contentType }) => {
        const headers: Record<string, string> = {};
        if (authorization !== undefined) headers.authorization = authorization;
        if (contentType !== undefined) headers['content-type'] = contentType;
        const carriesBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
        const response = await handler(
          new Request(`http://localhost${path}${search}`, { method, headers, ...(carriesBody ? { body } : {}) }),
        );
        const label = `${method} ${path}${search}`;
        expect(STATUSES, label).toContain(response.status);
        const text = await response.text();
        if (response.headers.get('content-type') !== 'application/json') {
          // Only the explorer's page and script answer in anything else.
          expect(new URL(`http://localhost${path}`).pathname, label).toMatch(/^\/explorer/);
          return;
        }
        if (method === 'HEAD') {
          expect(text, label).toBe('');
          return;
        }
        const answer = JSON.parse(text) as Record<string, unknown>;
        if (response.status >= 400) {
          expect(answer, label).toEqual({ status: 'error', reason: expect.any(String) });
          if (response.status === 405) expect(response.headers.get('allow'), label).toMatch(/^(GET, HEAD|POST)$/);
        }
        if (typeof answer.job_id === 'string') {
          expect(method, label).toBe('POST');
          const issued = Number(/^job_id_([1-9]\d*)$/.exec(answer.job_id)?.[1]);
          expect(issued, label).toBe(lastJob + 1);
          lastJob = issued;
        }
      }),
      { numRuns: 600, seed: 20261124 },
    );
    expect(failures).toEqual([]);
    // Enough requests got through to be accepted, and every accepted job ended.
    expect(lastJob).toBeGreaterThan(20);
    for (let n = 1; n <= lastJob; n++)
      expect(['done', 'error']).toContain((await runner.wait(`job_id_${n}` as const)).status);
    // Nothing generated could start the shutdown: the token is never guessed.
    expect(runner.accepting).toBe(true);
  });
});
