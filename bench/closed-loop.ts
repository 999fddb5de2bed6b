import { Pool } from 'undici';
import type { MixedJob } from './mixed-jobs';

/** A response's status and body text. */
export interface Answer {
  status: number;
  text: string;
}

const JSON_BODY = { 'content-type': 'application/json' };

/**
 * A keep-alive HTTP client for one base URL, on undici: a client's own CPU time counts
 * against the servers it measures on two shared cores, and undici spends half of
 * node:http's per request (about 80 against 160 µs here), close to autocannon's.
 */
export function httpClient(base: string, sockets: number) {
  const pool = new Pool(base, { connections: sockets });
  const send = async (method: 'GET' | 'POST', path: string, body?: string): Promise<Answer> => {
    const response = await pool.request({ method, path, body, headers: body === undefined ? undefined : JSON_BODY });
    return { status: response.statusCode, text: await response.body.text() };
  };
  return { send, close: () => pool.close() };
}

/** Options of {@link closedLoop}. */
export interface LoopOptions {
  clients: number;
  durationMs: number;
  /** `?wait=` of each get_results poll; 0 polls without it. */
  waitMs: number;
  next: () => MixedJob;
}

/** What a closed loop did: job round trips (submit to result) and every id it was given. */
export interface LoopResult {
  jobs: number;
  seconds: number;
  latenciesMs: number[];
  ids: string[];
  polls: number;
  failures: number;
}

/**
 * `clients` clients, each submitting a job, then polling get_results until the job is
 * done, then submitting the next, until `durationMs` have passed.
 */
export async function closedLoop(
  base: string,
  { clients, durationMs, waitMs, next }: LoopOptions,
): Promise<LoopResult> {
  const http = httpClient(base, clients);
  const out: LoopResult = { jobs: 0, seconds: 0, latenciesMs: [], ids: [], polls: 0, failures: 0 };
  const query = waitMs > 0 ? `?wait=${waitMs}` : '';
  const start = performance.now();
  const deadline = start + durationMs;
  const client = async () => {
    while (performance.now() < deadline) {
      const { name, params } = next();
      const submitted = performance.now();
      const submit = await http.send('POST', `/api/${name}`, JSON.stringify(params));
      if (submit.status !== 200) {
        out.failures++;
        continue;
      }
      const id = (JSON.parse(submit.text) as { job_id: string }).job_id;
      out.ids.push(id);
      for (;;) {
        out.polls++;
        const poll = await http.send('GET', `/api/get_results/${id}${query}`);
        const { status } = JSON.parse(poll.text) as { status: string };
        if (status === 'running') continue;
        if (status !== 'done' || poll.status !== 200) out.failures++;
        break;
      }
      out.latenciesMs.push(performance.now() - submitted);
      out.jobs++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  out.seconds = (performance.now() - start) / 1000;
  await http.close();
  return out;
}
