// Shared by the HTTP tests: one small data set (with one question left unranked, so
// best5/worst5 can refuse it), servers on ephemeral ports in temporary folders, and a
// client that checks every response is JSON.
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataIngestor, DEFAULT_RANKING } from '@lestats/core';
import { type LeStatsServer, type ServeOptions, serve } from '@lestats/server';
import { expect } from 'vitest';

/** The question the test data set has no ranking direction for. */
export const UNRANKED = DEFAULT_RANKING.bestIsMax[0] as string;

/** The test data set. */
export const data = DataIngestor.sample({
  rows: 4000,
  seed: 7,
  ranking: { bestIsMax: DEFAULT_RANKING.bestIsMax.slice(1) },
});

/** A ranked question and a state with data for it. */
export const QUESTION = 'Percent of adults aged 18 years and older who have obesity';
export const STATE = 'Ohio';

/** Core's fixture workers: `slow` takes 150 ms a batch, `throws` fails every global_mean job. */
export function fixtureWorker(name: 'slow' | 'throws'): URL {
  return new URL(`../../packages/core/src/jobs/test-workers/${name}.mjs`, import.meta.url);
}

const cleanups: Array<() => Promise<unknown>> = [];

/** Closes the servers and removes the folders made so far, newest first. */
export async function cleanUp(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** A fresh folder under the OS temporary directory, removed by {@link cleanUp}. */
export async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'lestats-http-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A server under test and the folder holding its results and log. */
export interface TestServer {
  server: LeStatsServer;
  dir: string;
  resultsDir: string;
  logFile: string;
}

/** Serves {@link data} on 127.0.0.1, port 0, one thread, in a fresh folder (or `dir`); closed by {@link cleanUp}. */
export async function startServer(options: Partial<ServeOptions> = {}, dir?: string): Promise<TestServer> {
  const home = dir ?? (await tempDir());
  const resultsDir = join(home, 'results');
  const logFile = join(home, 'logs', 'webserver.log');
  const server = await serve({ data, port: 0, threads: 1, resultsDir, log: { file: logFile }, ...options });
  cleanups.push(() => server.close());
  return { server, dir: home, resultsDir, logFile };
}

/** A response, its raw text, and the text parsed. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  body: unknown;
}

/** Sends a request and checks the response is `application/json`. */
export async function call(base: string | LeStatsServer, path: string, init?: RequestInit): Promise<Answer> {
  const url = typeof base === 'string' ? base : base.url;
  const response = await fetch(`${url}${path}`, init);
  const text = await response.text();
  expect(response.headers.get('content-type'), `${init?.method ?? 'GET'} ${path}`).toBe('application/json');
  return { status: response.status, headers: response.headers, text, body: JSON.parse(text) };
}

/** POSTs `body` (JSON-encoded unless already a string) to `path`. */
export function post(
  base: string | LeStatsServer,
  path: string,
  body: unknown,
  headers?: Record<string, string>,
): Promise<Answer> {
  return call(base, path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers });
}

/** What `get_results` answers once a job is done: the result exactly as the data set writes it. */
export function doneBody(json: string): string {
  return `{"status":"done","data":${json}}`;
}

/** Submits a query and returns its job id, failing the test unless it was accepted. */
export async function submit(base: string | LeStatsServer, name: string, params: object): Promise<string> {
  const answer = await post(base, `/api/${name}`, params);
  expect(answer.status, answer.text).toBe(200);
  const { job_id } = answer.body as { job_id: string };
  expect(job_id).toMatch(/^job_id_[1-9]\d*$/);
  return job_id;
}

/** Waits for a job with `?wait` and returns the final answer. */
export function result(base: string | LeStatsServer, id: string): Promise<Answer> {
  return call(base, `/api/get_results/${id}?wait=10000`);
}

/** The files under `dir` this process holds open (Linux: /proc/self/fd). */
export async function openFilesUnder(dir: string): Promise<string[]> {
  const targets = await Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return targets.filter((target) => target.startsWith(dir));
}
