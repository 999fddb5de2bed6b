// Shared by the multi-instance tests: a private Redis, `lestats serve --store redis://…`
// processes on one data file, seeded jobs with their expected results, and a JSON client.
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DataIngestor, QUERY_NAMES, type QueryName, sampleCsv } from '@lestats/core';
import { expect, vi } from 'vitest';

export { redisServerBinary, TestRedis } from '../../packages/core/src/jobs/test-redis/redis-server';

const CLI = fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url));
const SLOW_INSTANCE = fileURLToPath(new URL('./slow-instance.ts', import.meta.url));

/** The data every instance serves, and the folder the tests write into. */
export interface Workspace {
  dir: string;
  dataFile: string;
  data: DataIngestor;
  remove(): Promise<void>;
}

/** A fresh folder with a small seeded CSV in it. */
export async function workspace(): Promise<Workspace> {
  const dir = await mkdtemp(join(tmpdir(), 'lestats-redis-service-'));
  const csv = sampleCsv({ rows: 4000, seed: 21 });
  const dataFile = join(dir, 'data.csv');
  await writeFile(dataFile, csv);
  return { dir, dataFile, data: DataIngestor.fromString(csv), remove: () => rm(dir, { recursive: true, force: true }) };
}

/** One job to submit, and what get_results must answer once it is done. */
export interface Job {
  name: QueryName;
  params: { question: string; state: string };
  done: string;
}

/** `count` valid jobs cycling through the nine queries, on questions and states drawn from `seed`. */
export function seededJobs(data: DataIngestor, count: number, seed: number): Job[] {
  let a = seed >>> 0;
  const random = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
  const questions = data.questions().map((q) => q.question);
  const states = data.states();
  const jobs: Job[] = [];
  while (jobs.length < count) {
    const name = QUERY_NAMES[jobs.length % QUERY_NAMES.length] as QueryName;
    const params = { question: pick(questions), state: pick(states) };
    try {
      jobs.push({ name, params, done: `{"status":"done","data":${data.queryJson(name, params)}}` });
    } catch {
      // A combination the data set refuses (an empty cell, an unranked question): draw again.
    }
  }
  return jobs;
}

/** A server process of the service. */
export class Instance {
  readonly url: string;
  readonly #child: ChildProcess;

  private constructor(url: string, child: ChildProcess) {
    this.url = url;
    this.#child = child;
  }

  /** `lestats serve --store <redisUrl>` from the built package, on a free port, one thread. */
  static cli(space: Workspace, name: string, redisUrl: string, extra: string[] = []): Promise<Instance> {
    const args = [CLI, 'serve', '--data', space.dataFile, '--store', redisUrl, '--port', '0', '--threads', '1'];
    return Instance.#start([...args, '--log-file', join(space.dir, `${name}.log`), ...extra]);
  }

  /** The same service from `serve()`, with core's slow test worker (150 ms a batch), so jobs pile up. */
  static slow(space: Workspace, name: string, redisUrl: string): Promise<Instance> {
    return Instance.#start(['--import', 'tsx', SLOW_INSTANCE, space.dataFile, redisUrl, join(space.dir, name)]);
  }

  static async #start(args: string[]): Promise<Instance> {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    const exited = once(child, 'exit').then(([code]) => {
      throw new Error(`the instance exited with status ${code} before serving: ${stderr}`);
    });
    const serving = (async () => {
      for await (const line of lines) {
        const match = /serving (http:\/\/\S+)/.exec(line);
        if (match !== null) return match[1] as string;
      }
      throw new Error(`the instance closed its output before serving: ${stderr}`);
    })();
    return new Instance(await Promise.race([serving, exited]), child);
  }

  /** Kills the process with `signal` and waits for it to exit; resolves with its exit status. */
  async kill(signal: NodeJS.Signals): Promise<number | null> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) return this.#child.exitCode;
    const exited = once(this.#child, 'exit');
    this.#child.kill(signal);
    const [code] = (await exited) as [number | null];
    return code;
  }

  /** A request; checks the answer is JSON and returns its status, text and parsed body. */
  async call(path: string, init?: RequestInit): Promise<{ status: number; text: string; body: unknown }> {
    const response = await fetch(`${this.url}${path}`, init);
    const text = await response.text();
    expect(response.headers.get('content-type'), `${path}: ${text}`).toBe('application/json');
    return { status: response.status, text, body: JSON.parse(text) };
  }

  /** POSTs a job; resolves with the whole answer (the test decides what it expects). */
  submit(job: Job): ReturnType<Instance['call']> {
    return this.call(`/api/${job.name}`, { method: 'POST', body: JSON.stringify(job.params) });
  }

  /** Submits a job that must be accepted, and returns its id. */
  async accepted(job: Job): Promise<string> {
    const answer = await this.submit(job);
    expect(answer.status, answer.text).toBe(200);
    return (answer.body as { job_id: string }).job_id;
  }

  /** The final get_results text of a job, waiting (in 10 s holds) up to `ms`: long past the 5 s lease of a killed instance. */
  async finalResult(id: string, ms = 60_000): Promise<string> {
    const deadline = Date.now() + ms;
    for (;;) {
      const answer = await this.call(`/api/get_results/${id}?wait=10000`);
      expect(answer.status, answer.text).toBe(200);
      if (answer.text !== '{"status":"running"}' || Date.now() > deadline) return answer.text;
    }
  }
}

/** Retries `attempt` every 100 ms until it resolves, for at most `ms`. */
export const eventually = <T>(attempt: () => Promise<T>, ms = 30_000): Promise<T> =>
  vi.waitFor(attempt, { timeout: ms, interval: 100 });

/** The number of a `job_id_N`. */
export const jobNumber = (id: string) => Number(id.slice('job_id_'.length));
