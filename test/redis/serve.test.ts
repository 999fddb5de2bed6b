// serve() in this process on a Redis store: the same service as the CLI's --store, with
// the results folder, when given, holding this instance's result files.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
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

  it('removes the private folder of its copies once closed, when no results folder was given', async () => {
    const scratch = await mkdtemp(join(space.dir, 'tmp-'));
    // Worker threads may leave files of their own there.
    const copies = async () => (await readdir(scratch)).filter((name) => name.startsWith('lestats-copies-'));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = scratch;
    try {
      const server = await serve({
        data: space.data,
        port: 0,
        threads: 1,
        store: redis.url(8),
        log: { file: join(space.dir, 'private-copies.log') },
      });
      expect(await copies()).toHaveLength(1);
      await server.close();
    } finally {
      // Assigning undefined would set the text "undefined".
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
    expect(await copies()).toEqual([]);
  });

  /** A server on `db`, and another instance there: a bare store that accepted one job and holds it. */
  async function withOtherInstance(db: number) {
    const other = redisStore({ url: redis.url(db) });
    await other.open();
    const server = await serve({
      data: space.data,
      port: 0,
      threads: 1,
      store: redis.url(db),
      log: { file: join(space.dir, `held-${db}.log`) },
    });
    const [job] = seededJobs(space.data, 1, 4) as [Job];
    const n = Number(await other.shared?.accept(JSON.stringify([job.name, job.params])));
    const poll = fetch(`${server.url}/api/get_results/job_id_${n}?wait=30000`).then((answer) => answer.text());
    // Long enough for the request to reach the handler and start waiting.
    await new Promise((resolve) => setTimeout(resolve, 100));
    return { other, server, job, n, id: `job_id_${n}`, poll };
  }

  it("keeps answering from the shared store after a graceful shutdown, and a held poll ends with the other instance's job", async () => {
    const { other, server, job, n, id, poll } = await withOtherInstance(6);
    try {
      expect(await (await fetch(`${server.url}/api/graceful_shutdown`)).json()).toEqual({ status: 'done' });
      await server.drained;
      expect(await (await fetch(`${server.url}/api/num_jobs`)).json()).toEqual({ num_jobs: 1 });
      expect(await (await fetch(`${server.url}/api/jobs`)).json()).toEqual({
        status: 'done',
        data: [{ [id]: 'running' }],
      });
      expect((await fetch(`${server.url}/api/get_results/job_id_999`)).status).toBe(404);
      await other.save(n, { status: 'done', json: space.data.queryJson(job.name, job.params) });
      expect(await poll).toBe(job.done);
      expect(await (await fetch(`${server.url}/api/get_results/${id}`)).text()).toBe(job.done);
    } finally {
      await server.close();
      await other.close();
    }
  });

  it("answers a poll held on another instance's job as running at once when the server closes", async () => {
    const { other, server, poll } = await withOtherInstance(7);
    try {
      const started = Date.now();
      await server.close();
      expect(await poll).toBe('{"status":"running"}');
      // Well under the client's keep-alive timeout, which held the closing server open before.
      expect(Date.now() - started).toBeLessThan(2_000);
    } finally {
      await server.close();
      await other.close();
    }
  });
});
