import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DataIngestor } from '@lestats/core';
import { redisServerBinary, TestRedis } from '../packages/core/src/jobs/test-redis/redis-server';
import { closedLoop, httpClient, type LoopResult } from './closed-loop';
import { median, percentile, progress } from './measure';
import { mixedJobs } from './mixed-jobs';
import type { Scenario } from './scenario';
import { type Metric, metric } from './table';

const CLIENTS = 32;
const LONG_POLL_MS = 10_000;
const CLI = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));

interface Instance {
  url: string;
  child: ChildProcess;
}

/** `lestats serve` from the built package, on the built-in sample and a free port. */
async function startInstance(args: string[]): Promise<Instance> {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`lestats serve ${args.join(' ')} exited with status ${code} before serving: ${stderr}`);
  });
  const serving = (async () => {
    for await (const line of createInterface({ input: child.stdout })) {
      const url = /serving (http:\/\/\S+)/.exec(line)?.[1];
      if (url !== undefined) return url;
    }
    throw new Error('lestats serve closed its output before serving');
  })();
  return { url: await Promise.race([serving, exited]), child };
}

/** SIGTERM: the instance drains its jobs, then exits. */
async function stop({ child }: Instance): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}

/** Closed loops on every instance at once, the clients split evenly; one result for the lot. */
async function spreadLoop(
  instances: Instance[],
  durationMs: number,
  next: ReturnType<typeof mixedJobs>,
): Promise<LoopResult> {
  const clients = CLIENTS / instances.length;
  const loops = await Promise.all(
    instances.map(({ url }) => closedLoop(url, { clients, durationMs, waitMs: LONG_POLL_MS, next })),
  );
  return {
    jobs: loops.reduce((n, loop) => n + loop.jobs, 0),
    seconds: Math.max(...loops.map((loop) => loop.seconds)),
    latenciesMs: loops.flatMap((loop) => loop.latenciesMs),
    ids: loops.flatMap((loop) => loop.ids),
    polls: loops.reduce((n, loop) => n + loop.polls, 0),
    failures: loops.reduce((n, loop) => n + loop.failures, 0),
  };
}

/** Jobs among `ids` that `instance` does not answer as done: with two instances, half were run by the other. */
async function notDone(instance: Instance, ids: string[]): Promise<number> {
  const http = httpClient(instance.url, 16);
  let missing = 0;
  let next = 0;
  const client = async () => {
    for (let i = next++; i < ids.length; i = next++) {
      const { status, text } = await http.send('GET', `/api/get_results/${ids[i]}`);
      if (status !== 200 || !text.startsWith('{"status":"done"')) missing++;
    }
  };
  await Promise.all(Array.from({ length: 16 }, client));
  await http.close();
  return missing;
}

const loopRate = (loop: LoopResult) => loop.jobs / loop.seconds;
const rateOf = (loops: LoopResult[]) => median(loops.map(loopRate));
const latencies = (loops: LoopResult[]) => loops.flatMap((loop) => loop.latenciesMs);

/**
 * Issue 8 item 6: the closed loop of the HTTP scenario (clients submitting a job, then
 * holding `get_results?wait=` until it is done), in one run, against one instance on the
 * file store, one instance on a private Redis, and two instances on Redis with the clients
 * split over both. Each instance is a `lestats serve` process with the same thread count.
 */
export const redis: Scenario = async ({ quick, tmpDir, threads }) => {
  const binary = redisServerBinary();
  if (binary === undefined)
    return { title: 'Redis store (issue 8 item 6): skipped, redis-server is not on PATH', metrics: [] };
  const runs = quick ? 1 : 3;
  const loopMs = quick ? 2_000 : 8_000;
  const next = mixedJobs(DataIngestor.sample(), 8);
  const server = await TestRedis.start(binary);
  const started: Instance[] = [];
  const launch = async (name: string, args: string[]) => {
    const instance = await startInstance([
      '--threads',
      String(threads),
      '--log-file',
      join(tmpDir, `${name}.log`),
      ...args,
    ]);
    started.push(instance);
    return instance;
  };
  const loops: Record<'file' | 'one' | 'two', LoopResult[]> = { file: [], one: [], two: [] };
  let unanswered = 0;
  let checked = 0;
  try {
    const setups = {
      file: [await launch('file', ['--results-dir', join(tmpDir, 'redis-bench-files')])],
      one: [await launch('one', ['--store', server.url(0)])],
      two: [await launch('two-a', ['--store', server.url(1)]), await launch('two-b', ['--store', server.url(1)])],
    };
    for (const instances of Object.values(setups)) await spreadLoop(instances, 1_000, next);
    // Interleaved, so that load from other processes falls on each setup alike.
    for (let run = 0; run < runs; run++) {
      for (const [name, instances] of Object.entries(setups) as Array<[keyof typeof setups, Instance[]]>) {
        loops[name].push(await spreadLoop(instances, loopMs, next));
      }
    }
    // Every job of the two-instance runs, asked of the instance that did not necessarily run it.
    const ids = loops.two.flatMap((loop) => loop.ids);
    checked = ids.length;
    unanswered = await notDone(setups.two[1] as Instance, ids);
  } finally {
    await Promise.all(started.map(stop));
    await server.stop();
  }
  const fileRate = rateOf(loops.file);
  progress(
    `closed loop jobs/s: file ${Math.round(fileRate)}, Redis ${Math.round(rateOf(loops.one))}, 2× Redis ${Math.round(rateOf(loops.two))}`,
  );

  const rows = (name: string, runLoops: LoopResult[]): Metric[] => [
    metric({
      name,
      value: rateOf(runLoops),
      unit: 'jobs/s',
      ...(runLoops === loops.file ? {} : { baseline: fileRate, baselineName: 'fileStore' }),
    }),
    metric({ name: '  job round trip p50', value: percentile(latencies(runLoops), 50), unit: 'ms' }),
    metric({ name: '  job round trip p99', value: percentile(latencies(runLoops), 99), unit: 'ms' }),
  ];
  const failures = Object.values(loops)
    .flat()
    .reduce((n, loop) => n + loop.failures, 0);
  return {
    title: `Redis store (issue 8 item 6): closed loop, ${CLIENTS} clients, ?wait=, ${threads} threads per instance`,
    metrics: [
      ...rows('one instance, fileStore', loops.file),
      ...rows('one instance, Redis', loops.one),
      ...rows('two instances, Redis, clients split', loops.two),
      metric({
        name: `jobs lost (refused, failed, or not done on the other instance; of ${checked})`,
        value: failures + unanswered,
        unit: 'jobs',
        targets: [{ on: 'value', op: '<=', limit: 0 }],
      }),
    ],
    details: {
      runs,
      loopMs,
      file: loops.file.map(loopRate),
      one: loops.one.map(loopRate),
      two: loops.two.map(loopRate),
    },
  };
};
