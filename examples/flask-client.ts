// A client written the way the original Flask service's clients are: submit a job, keep the
// job_id, poll get_results until it is done, read `data`. It needs a running server:
//   npx lestats serve --port 5000          (in one terminal)
//   npx tsx examples/flask-client.ts http://127.0.0.1:5000
import process from 'node:process';

const base = process.argv[2] ?? 'http://127.0.0.1:5000';

async function call(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    method,
    ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
  });
  return (await response.json()) as Record<string, unknown>;
}

async function ask(query: string, question: string, state?: string): Promise<unknown> {
  const { job_id } = await call('POST', `/api/${query}`, { question, state });
  for (;;) {
    const answer = await call('GET', `/api/get_results/${job_id}`);
    if (answer.status === 'done') return answer.data;
    if (answer.status === 'error') throw new Error(`${job_id} failed: ${answer.reason}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const question = 'Percent of adults who engage in no leisure-time physical activity';
console.log('best5:', await ask('best5', question));
console.log('global_mean:', await ask('global_mean', question));
console.log('state_diff_from_mean (Ohio):', await ask('state_diff_from_mean', question, 'Ohio'));
console.log('bad input:', await call('POST', '/api/state_mean', { question }));
console.log('jobs so far:', ((await call('GET', '/api/jobs')).data as unknown[]).length);
