// serve() in this process on a Redis store: the same service as the CLI's --store, with
// the results folder, when given, holding this instance's result files.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
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
});
