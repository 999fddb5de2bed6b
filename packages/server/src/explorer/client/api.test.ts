import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, fetchDataset, fetchQuestions, fetchStates, runQuery } from './api';

type Answer = { status?: number; body: unknown } | Error;

/** Stubs fetch with answers, in order, and records what the page asked for. */
function serverAnswering(...answers: Answer[]) {
  const asked: string[] = [];
  vi.stubGlobal(
    'fetch',
    vi.fn(async (path: string, init?: RequestInit) => {
      asked.push(`${init?.method ?? 'GET'} ${path}${init?.body ? ` ${init.body}` : ''}`);
      const next = answers.shift();
      if (next === undefined) throw new Error(`unexpected request ${path}`);
      if (next instanceof Error) throw next;
      const text = typeof next.body === 'string' ? next.body : JSON.stringify(next.body);
      return new Response(text, { status: next.status ?? 200 });
    }),
  );
  return asked;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('runQuery', () => {
  it('submits the query, then long-polls get_results until the job is done', async () => {
    const asked = serverAnswering(
      { body: { job_id: 'job_id_7' } },
      { body: { status: 'running' } },
      { body: { status: 'done', data: { Ohio: 31.5 } } },
    );
    expect(await runQuery('state_mean', { question: 'Q', state: 'Ohio' })).toEqual({ Ohio: 31.5 });
    expect(asked).toEqual([
      'POST /api/state_mean {"question":"Q","state":"Ohio"}',
      'GET /api/get_results/job_id_7?wait=10000',
      'GET /api/get_results/job_id_7?wait=10000',
    ]);
  });

  it('reports a refused submission with the reason and status', async () => {
    serverAnswering({ status: 503, body: { job_id: -1, status: 'error', reason: 'shutting down' } });
    const running = runQuery('states_mean', { question: 'Q' });
    await expect(running).rejects.toThrow(ApiError);
    await expect(running).rejects.toThrow('The server refused /api/states_mean: shutting down (HTTP 503).');
    await expect(running).rejects.toMatchObject({ reason: 'shutting down' });
  });

  it('reports a failed job with its reason', async () => {
    serverAnswering({ body: { job_id: 'job_id_2' } }, { body: { status: 'error', reason: 'worker died' } });
    await expect(runQuery('best5', { question: 'Q' })).rejects.toThrow('The best5 job job_id_2 failed: worker died.');
  });

  it('reports a get_results that is refused', async () => {
    serverAnswering(
      { body: { job_id: 'job_id_3' } },
      { status: 404, body: { status: 'error', reason: 'Invalid job_id' } },
    );
    await expect(runQuery('best5', { question: 'Q' })).rejects.toThrow(
      'The server refused /api/get_results/job_id_3?wait=10000: Invalid job_id (HTTP 404).',
    );
  });

  it.each<[string, Answer[], string]>([
    [
      'an unreachable server',
      [new TypeError('Failed to fetch')],
      'Cannot reach the server (Failed to fetch). Is it still running?',
    ],
    [
      'a body that is not JSON',
      [{ status: 502, body: '<html>' }],
      'The server answered /api/global_mean with HTTP 502 and a body that is not JSON.',
    ],
    ['JSON that is not an object', [{ body: [1] }], 'The server answered /api/global_mean with unexpected JSON.'],
    ['an error without a reason', [{ status: 500, body: { status: 'error' } }], 'no reason given (HTTP 500)'],
    // The error shape decides, not only the status: a proxy may pass an error on as 200.
    [
      'an error answered with HTTP 200',
      [{ body: { status: 'error', reason: 'queue full' } }],
      'The server refused /api/global_mean: queue full (HTTP 200).',
    ],
    ['a submission without a job id', [{ body: { job_id: 3 } }], 'The server accepted global_mean without a job id.'],
    [
      'an unknown job status',
      [{ body: { job_id: 'job_id_1' } }, { body: { status: 'paused' } }],
      'The global_mean job job_id_1 answered an unknown status.',
    ],
  ])('explains %s', async (_, answers, message) => {
    serverAnswering(...answers);
    await expect(runQuery('global_mean', { question: 'Q' })).rejects.toThrow(message);
  });
});

describe('listings', () => {
  it("read the data of /api/questions, /api/states and /api/health's dataset", async () => {
    const questions = [{ question: 'Q', best: 'min', states: 3 }];
    const dataset = { source: 'sample', rows: 10, kept: 9 };
    serverAnswering(
      { body: { status: 'done', data: questions } },
      { body: { status: 'done', data: ['Ohio'] } },
      { body: { status: 'ok', dataset, jobs: {}, accepting: true } },
    );
    expect(await fetchQuestions()).toEqual(questions);
    expect(await fetchStates()).toEqual(['Ohio']);
    expect(await fetchDataset()).toEqual(dataset);
  });

  it('reject answers without the expected data', async () => {
    serverAnswering({ body: { status: 'done' } }, { body: { status: 'ok' } });
    await expect(fetchStates()).rejects.toThrow('The server answered /api/states without a data list.');
    await expect(fetchDataset()).rejects.toThrow('The server answered /api/health without a dataset.');
  });
});
