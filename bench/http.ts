import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { DataIngestor } from '@lestats/core';
import autocannon from 'autocannon';
import { closedLoop, httpClient, type LoopResult } from './closed-loop';
import { median, percentile, progress } from './measure';
import { mixedJobs } from './mixed-jobs';
import type { Scenario } from './scenario';
import { type ServerProcess, startServer } from './server-process';
import { type Metric, metric } from './table';

const CONNECTIONS = 32;
const LONG_POLL_MS = 10_000;

interface LoadRun {
  rate: number;
  non2xx: number;
  errors: number;
}

/** Requests per second answered 2xx, from `CONNECTIONS` connections without pipelining. */
async function load(url: string, seconds: number, body?: string): Promise<LoadRun> {
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    ...(body === undefined ? {} : { method: 'POST', body, headers: { 'content-type': 'application/json' } }),
  });
  return { rate: result['2xx'] / result.duration, non2xx: result.non2xx, errors: result.errors };
}

/** Waits until the server has no job queued or running, so a backlog does not weigh on the next run. */
async function drained(url: string): Promise<number> {
  const http = httpClient(url, 1);
  const start = performance.now();
  while ((JSON.parse((await http.send('GET', '/api/num_jobs')).text) as { num_jobs: number }).num_jobs > 0) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await http.close();
  return performance.now() - start;
}

/** Jobs among `ids` whose get_results is not `done`, asked `clients` at a time. */
async function notRetrievable(url: string, ids: string[], clients = 16): Promise<number> {
  const http = httpClient(url, clients);
  let missing = 0;
  let next = 0;
  const client = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const { status, text } = await http.send('GET', `/api/get_results/${ids[i]}`);
      if (status !== 200 || (JSON.parse(text) as { status: string }).status !== 'done') missing++;
    }
  };
  await Promise.all(Array.from({ length: clients }, client));
  await http.close();
  return missing;
}

/**
 * Jobs the closed loops lost: refused or failed in the loop, not `done` when asked again
 * while the server still runs, or without a result file once it has drained and closed.
 */
async function lostJobs(server: ServerProcess, dir: string, loops: LoopResult[]) {
  const ids = loops.flatMap((loop) => loop.ids);
  const failed = loops.reduce((n, loop) => n + loop.failures, 0);
  const unanswered = await notRetrievable(server.url, ids);
  await server.close();
  const noFile = ids.filter((id) => !existsSync(join(dir, `${id}.json`))).length;
  return { checked: ids.length, failed, unanswered, noFile, lost: failed + unanswered + noFile };
}

const summary = (loops: LoopResult[]) => {
  const latencies = loops.flatMap((loop) => loop.latenciesMs);
  return {
    rate: median(loops.map((loop) => loop.jobs / loop.seconds)),
    p50: percentile(latencies, 50),
    p99: percentile(latencies, 99),
    jobs: latencies.length,
    pollsPerJob: loops.reduce((n, loop) => n + loop.polls, 0) / latencies.length,
    failures: loops.reduce((n, loop) => n + loop.failures, 0),
  };
};

/**
 * Issue 5 item 6: real listeners on 127.0.0.1, each in its own process, loaded from this
 * one. autocannon for the framework alone (GET, and POST with a body), our GET (also without
 * the request log, to show what the log costs) and our POST; then closed loops of clients
 * submitting jobs and fetching their results, against our server (long-poll `?wait`, file
 * store) and against a naive baseline (plain polling, one write per job).
 */
export const http: Scenario = async ({ quick, tmpDir, threads }) => {
  const seconds = quick ? 1 : 4;
  const runs = quick ? 1 : 3;
  const loopMs = quick ? 2_000 : 6_000;
  const data = DataIngestor.sample();
  const question = data.questions()[0]?.question as string;

  const minimal = await startServer('minimal');
  const ours = await startServer('lestats', [join(tmpDir, 'http-results'), join(tmpDir, 'http.log'), String(threads)]);
  const unlogged = await startServer('unlogged', [join(tmpDir, 'unlogged-results'), String(threads)]);
  const submitBody = JSON.stringify({ question });
  await load(`${minimal.url}/api/num_jobs`, 1);
  await load(`${ours.url}/api/num_jobs`, 1);
  await load(`${unlogged.url}/api/num_jobs`, 1);
  await load(`${minimal.url}/api/states_mean`, 1, submitBody);
  await load(`${ours.url}/api/states_mean`, 1, submitBody);
  await drained(ours.url);
  const framework: LoadRun[] = [];
  const frameworkPost: LoadRun[] = [];
  const numJobs: LoadRun[] = [];
  const numJobsUnlogged: LoadRun[] = [];
  const submits: LoadRun[] = [];
  const drainMs: number[] = [];
  // Interleaved, so that load from other processes falls on each server alike.
  for (let run = 0; run < runs; run++) {
    framework.push(await load(`${minimal.url}/api/num_jobs`, seconds));
    frameworkPost.push(await load(`${minimal.url}/api/states_mean`, seconds, submitBody));
    numJobs.push(await load(`${ours.url}/api/num_jobs`, seconds));
    numJobsUnlogged.push(await load(`${unlogged.url}/api/num_jobs`, seconds));
    submits.push(await load(`${ours.url}/api/states_mean`, seconds, submitBody));
    drainMs.push(await drained(ours.url));
  }
  await minimal.close();
  await ours.close();
  await unlogged.close();
  progress(
    `req/s: framework ${framework.map((r) => Math.round(r.rate)).join(', ')}; framework POST ` +
      `${frameworkPost.map((r) => Math.round(r.rate)).join(', ')}; num_jobs ` +
      `${numJobs.map((r) => Math.round(r.rate)).join(', ')}; num_jobs unlogged ` +
      `${numJobsUnlogged.map((r) => Math.round(r.rate)).join(', ')}; states_mean ${submits.map((r) => Math.round(r.rate)).join(', ')}`,
  );

  const loopDir = join(tmpDir, 'loop-results');
  const naiveDir = join(tmpDir, 'naive-results');
  await mkdir(naiveDir, { recursive: true });
  const oursLoop = await startServer('lestats', [loopDir, join(tmpDir, 'loop.log'), String(threads)]);
  const naive = await startServer('naive', [naiveDir, String(threads)]);
  const next = mixedJobs(data, 5);
  const options = { clients: CONNECTIONS, next };
  const warmUp = await closedLoop(oursLoop.url, { ...options, durationMs: 1_000, waitMs: LONG_POLL_MS });
  const naiveWarmUp = await closedLoop(naive.url, { ...options, durationMs: 1_000, waitMs: 0 });
  const loops: LoopResult[] = [];
  const naiveLoops: LoopResult[] = [];
  for (let run = 0; run < runs; run++) {
    loops.push(await closedLoop(oursLoop.url, { ...options, durationMs: loopMs, waitMs: LONG_POLL_MS }));
    naiveLoops.push(await closedLoop(naive.url, { ...options, durationMs: loopMs, waitMs: 0 }));
  }
  const lost = await lostJobs(oursLoop, loopDir, [warmUp, ...loops]);
  const naiveLost = await lostJobs(naive, naiveDir, [naiveWarmUp, ...naiveLoops]);
  const loop = summary(loops);
  const naiveLoop = summary(naiveLoops);
  progress(`closed loop jobs/s: ours ${Math.round(loop.rate)}, naive ${Math.round(naiveLoop.rate)}`);

  const frameworkRate = median(framework.map((r) => r.rate));
  const frameworkPostRate = median(frameworkPost.map((r) => r.rate));
  const submitRate = median(submits.map((r) => r.rate));
  const loadFailures = [...framework, ...frameworkPost, ...numJobs, ...numJobsUnlogged, ...submits].reduce(
    (n, r) => n + r.non2xx + r.errors,
    0,
  );
  const metrics: Metric[] = [
    metric({ name: '(a) @whatwg-node/server + itty-router, fixed JSON', value: frameworkRate, unit: 'req/s' }),
    metric({
      name: '(b) our GET /api/num_jobs',
      value: median(numJobs.map((r) => r.rate)),
      unit: 'req/s',
      baseline: frameworkRate,
      baselineName: '(a)',
      targets: [{ on: 'ratio', op: '>=', limit: 0.8 }],
    }),
    metric({
      name: "(b') the same without the request log",
      value: median(numJobsUnlogged.map((r) => r.rate)),
      unit: 'req/s',
      baseline: frameworkRate,
      baselineName: '(a)',
    }),
    metric({
      name: "(a') the same framework, POST parsing a JSON body",
      value: frameworkPostRate,
      unit: 'req/s',
      baseline: frameworkRate,
      baselineName: '(a)',
    }),
    metric({
      name: '(c) our POST /api/states_mean (submit)',
      value: submitRate,
      unit: 'req/s',
      baseline: frameworkRate,
      baselineName: '(a)',
      targets: [{ on: 'ratio', op: '>=', limit: 0.6 }],
    }),
    metric({
      name: "(c) against the framework's own POST",
      value: submitRate,
      unit: 'req/s',
      baseline: frameworkPostRate,
      baselineName: "(a')",
    }),
    metric({
      name: 'non-2xx answers and errors under load',
      value: loadFailures,
      unit: 'responses',
      targets: [{ on: 'value', op: '<=', limit: 0 }],
    }),
    metric({
      name: `(d) closed loop, ${CONNECTIONS} clients, ?wait=, fileStore`,
      value: loop.rate,
      unit: 'jobs/s',
      baseline: naiveLoop.rate,
      baselineName: '(e) naive',
      targets: [{ on: 'ratio', op: '>=', limit: 2 }],
    }),
    metric({
      name: '(d) job round trip p50',
      value: loop.p50,
      unit: 'ms',
      baseline: naiveLoop.p50,
      baselineName: '(e)',
    }),
    metric({
      name: '(d) job round trip p99',
      value: loop.p99,
      unit: 'ms',
      baseline: naiveLoop.p99,
      baselineName: '(e)',
      targets: [{ on: 'value', op: '<=', limit: 50 }],
    }),
    metric({
      name: `(d) jobs lost (of ${lost.checked}: not done, or no file)`,
      value: lost.lost,
      unit: 'jobs',
      targets: [{ on: 'value', op: '<=', limit: 0 }],
    }),
    metric({
      name: `(e) naive baseline: jobs lost (of ${naiveLost.checked})`,
      value: naiveLost.lost,
      unit: 'jobs',
    }),
  ];
  return {
    title: 'HTTP (issue 5 item 6): autocannon without pipelining, servers in their own processes',
    metrics,
    details: {
      seconds,
      runs,
      loopMs,
      framework,
      frameworkPost,
      numJobs,
      numJobsUnlogged,
      submits,
      drainMs,
      loop,
      naiveLoop,
      lost,
      naiveLost,
    },
  };
};
