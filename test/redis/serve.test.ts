// serve() in this process on a Redis store: the same service as the CLI's --store, with
// the results folder, when given, holding this instance's result files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { redisStore } from '@lestats/core';
import { serve } from '@lestats/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Job, redisServerBinary, seededJobs, TestRedis, type Workspace, workspace } from './cluster';

const binary = redisServerBinary();

describe.skipIf(binary === undefined)('serve() with a Redis store', () => {
  let redis: TestRedis;
  let space: Workspace;

  beforeAll(async () => {
    [redis, space] = await Promise.all([TestRedis.start(binary as string), workspace()]);
  });
  afterAll(async () => {
    await redis?.stop();
    await space?.remove();
  });

  it('also writes result files in resultsDir when it is given', async () => {
    const resultsDir = join(space.dir, 'results');
    const server = await serve({
      data: space.data,
      port: 0,
      threads: 1,
      store: redis.url(5),
      resultsDir,
      log: { file: join(space.dir, 'webserver.log') },
    });
    try {
      expect(server.results).toBe(`Redis at 127.0.0.1:${redis.port}/5, copies in ${resultsDir}`);
      const [job] = seededJobs(space.data, 1, 9) as [Job];
      const submitted = await fetch(`${server.url}/api/${job.name}`, {
        method: 'POST',
        body: JSON.stringify(job.params),
      });
      const { job_id: id } = (await submitted.json()) as { job_id: string };
      expect(id).toBe('job_id_1');
      expect(await (await fetch(`${server.url}/api/get_results/${id}?wait=10000`)).text()).toBe(job.done);
      expect(await readFile(join(resultsDir, `${id}.json`), 'utf8')).toBe(space.data.queryJson(job.name, job.params));
      expect(await (await fetch(`${server.url}/api/num_jobs`)).json()).toEqual({ num_jobs: 0 });
    } finally {
      await server.close();
    }
  });

  it("answers a long poll on another instance's job as running once a graceful shutdown has drained", async () => {
    const url = redis.url(6);
    // Another instance: it accepted a job and holds it, but never runs it.
    const other = redisStore({ url });
    await other.open();
    const server = await serve({
      data: space.data,
      port: 0,
      threads: 1,
      store: url,
      log: { file: join(space.dir, 'held.log') },
    });
    try {
      const [job] = seededJobs(space.data, 1, 4) as [Job];
      const id = `job_id_${await other.shared?.accept(JSON.stringify([job.name, job.params]))}`;
      const started = Date.now();
      const poll = fetch(`${server.url}/api/get_results/${id}?wait=30000`).then((answer) => answer.text());
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await (await fetch(`${server.url}/api/graceful_shutdown`)).json()).toEqual({ status: 'done' });
      await server.drained;
      expect(await poll).toBe('{"status":"running"}');
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(await (await fetch(`${server.url}/api/get_results/${id}?wait=1000`)).text()).toBe('{"status":"running"}');
    } finally {
      await server.close();
      await other.close();
    }
  });
});
