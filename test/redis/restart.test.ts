// Redis lost under a running service, and Redis missing at start-up.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  Instance,
  jobNumber,
  redisServerBinary,
  seededJobs,
  TestRedis,
  type Workspace,
  workspace,
} from './cluster';

const binary = redisServerBinary();

describe.skipIf(binary === undefined)('lestats serve when Redis goes away', () => {
  let redis: TestRedis;
  let space: Workspace;
  const running: Instance[] = [];

  beforeAll(async () => {
    [redis, space] = await Promise.all([TestRedis.start(binary as string), workspace()]);
  });
  afterAll(async () => {
    await Promise.all(running.map((instance) => instance.kill('SIGTERM')));
    await redis?.stop();
    await space?.remove();
  });

  it('answers 503 to submissions while Redis is down, keeps answering its own jobs, and loses nothing', async () => {
    const [a, b] = await Promise.all(['a', 'b'].map((name) => Instance.cli(space, name, redis.url())));
    running.push(a as Instance, b as Instance);
    const service = [a, b] as [Instance, Instance];
    const jobs = seededJobs(space.data, 80, 4);
    const before = await Promise.all(jobs.slice(0, 40).map((job, i) => service[i % 2].accepted(job)));
    for (const [i, id] of before.entries()) expect(await service[i % 2].finalResult(id)).toBe(jobs[i]?.done);

    await redis.kill();
    const refusal = { status: 503, body: { status: 'error', reason: 'results store unavailable' } };
    expect(await a?.submit(jobs[40] as (typeof jobs)[number])).toMatchObject(refusal);
    expect(await b?.submit(jobs[41] as (typeof jobs)[number])).toMatchObject(refusal);
    for (const [i, id] of before.entries()) expect(await service[i % 2].finalResult(id)).toBe(jobs[i]?.done);
    // Another instance's job cannot be looked up: it reads as running, so clients poll on.
    expect(await b?.call(`/api/get_results/${before[0]}?wait=50`)).toMatchObject({
      status: 200,
      text: '{"status":"running"}',
    });
    expect(await a?.call('/api/num_jobs')).toMatchObject(refusal);

    await redis.resume();
    const first = await eventually(() => service[0].accepted(jobs[40] as (typeof jobs)[number]));
    const after = [first, ...(await Promise.all(jobs.slice(41).map((job, i) => service[(i + 1) % 2].accepted(job))))];
    expect(Math.min(...after.map(jobNumber))).toBeGreaterThan(Math.max(...before.map(jobNumber)));
    const ids = [...before, ...after];
    expect(new Set(ids).size).toBe(80);
    for (const instance of service) {
      expect(await Promise.all(ids.map((id) => instance.finalResult(id)))).toEqual(jobs.map((job) => job.done));
    }
    const list = (await a?.call('/api/jobs'))?.body;
    expect(list).toEqual({
      status: 'done',
      data: [...ids].sort((x, y) => jobNumber(x) - jobNumber(y)).map((id) => ({ [id]: 'done' })),
    });
    expect((await b?.call('/api/jobs'))?.body).toEqual(list);
  });

  it('exits with status 2 and one clear line when Redis cannot be reached at start', async () => {
    const gone = await TestRedis.start(binary as string);
    await gone.stop();
    const cli = fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url));
    const run = promisify(execFile)(process.execPath, [
      cli,
      'serve',
      '--data',
      space.dataFile,
      '--store',
      gone.url(),
      '--port',
      '0',
    ]);
    const failure = await run.then(
      () => expect.fail('lestats serve started without Redis'),
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure.code).toBe(2);
    expect(failure.stdout).toBe('');
    expect(failure.stderr).toMatch(
      /^lestats: store unavailable: Redis at redis:\/\/127\.0\.0\.1:\d+\/0: connect ECONNREFUSED [\d.:]+\n$/,
    );
  });
});
