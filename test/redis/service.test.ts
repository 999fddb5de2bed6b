// Several `lestats serve --store redis://…` processes on one Redis act as one service:
// jobs submitted round-robin get unique ids, every instance answers every result, the job
// list and pending count agree, and the service goes on when an instance is SIGKILLed.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
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
const oneTo = (count: number) => Array.from({ length: count }, (_, i) => i + 1);
const listOf = (numbers: number[]) => numbers.map((n) => ({ [`job_id_${n}`]: 'done' }));

describe.skipIf(binary === undefined)('lestats serve instances sharing one Redis', () => {
  let redis: TestRedis;
  let space: Workspace;
  const running: Instance[] = [];
  const start = async (instance: Promise<Instance>) => {
    running.push(await instance);
    return running[running.length - 1] as Instance;
  };

  beforeAll(async () => {
    [redis, space] = await Promise.all([TestRedis.start(binary as string), workspace()]);
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((instance) => instance.kill('SIGTERM')));
  });
  afterAll(async () => {
    await redis?.stop();
    await space?.remove();
  });

  it('act as one service: unique ids, every result from every instance, one job list and count', async () => {
    const service = await Promise.all(['a', 'b', 'c'].map((name) => start(Instance.cli(space, name, redis.url(1)))));
    const jobs = seededJobs(space.data, 150, 1);
    const ids = await Promise.all(jobs.map((job, i) => (service[i % 3] as Instance).accepted(job)));
    expect(ids.map(jobNumber).sort((x, y) => x - y)).toEqual(oneTo(150));

    for (const instance of service) {
      const results = await Promise.all(ids.map((id) => instance.finalResult(id)));
      expect(results).toEqual(jobs.map((job) => job.done));
    }
    const whole = listOf(oneTo(150));
    for (const instance of service) {
      expect((await instance.call('/api/jobs')).body).toEqual({ status: 'done', data: whole });
      expect((await instance.call('/api/num_jobs')).body).toEqual({ num_jobs: 0 });
      expect((await instance.call('/api/jobs?offset=10&limit=5')).body).toEqual({
        status: 'done',
        data: whole.slice(10, 15),
      });
      expect((await instance.call('/api/jobs?offset=149')).body).toEqual({ status: 'done', data: whole.slice(149) });
      expect(await instance.call('/api/jobs?limit=-1')).toEqual({
        status: 400,
        text: '{"status":"error","reason":"Invalid limit: expected a whole number >= 0"}',
        body: { status: 'error', reason: 'Invalid limit: expected a whole number >= 0' },
      });
      expect((await instance.call('/api/get_results/job_id_151')).status).toBe(404);
    }
  });

  it('goes on when an instance is SIGKILLed mid-load: its jobs finish on the others once its lease runs out', async () => {
    const [a, b, doomed] = (await Promise.all([
      start(Instance.cli(space, 'a2', redis.url(2))),
      start(Instance.cli(space, 'b2', redis.url(2))),
      start(Instance.slow(space, 'doomed', redis.url(2))),
    ])) as [Instance, Instance, Instance];
    const jobs = seededJobs(space.data, 120, 2);
    const first = await Promise.all(
      jobs.slice(0, 90).map((job, i) => ([a, b, doomed][i % 3] as Instance).accepted(job)),
    );
    expect((await a.call('/api/num_jobs')).body).not.toEqual({ num_jobs: 0 });
    await doomed.kill('SIGKILL');

    const later = await Promise.all(jobs.slice(90).map((job, i) => (i % 2 === 0 ? a : b).accepted(job)));
    const ids = [...first, ...later];
    expect(ids.map(jobNumber).sort((x, y) => x - y)).toEqual(oneTo(120));
    for (const instance of [a, b]) {
      const results = await Promise.all(ids.map((id) => instance.finalResult(id)));
      expect(results).toEqual(jobs.map((job) => job.done));
    }
    await eventually(async () => expect((await a.call('/api/num_jobs')).body).toEqual({ num_jobs: 0 }));
    expect((await b.call('/api/jobs')).body).toEqual({ status: 'done', data: listOf(oneTo(120)) });
  });
});
