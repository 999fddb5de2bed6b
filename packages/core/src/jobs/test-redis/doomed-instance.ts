// A runner in its own process, for tests that kill it with SIGKILL: it submits `count` jobs
// to a Redis store through a slow worker, prints their ids as one JSON line, and then keeps
// running them until it is killed.
import { redisStore } from '../redis-store';
import { JobRunner } from '../runner';
import { fixtureWorker, mixedJobs, sampleData } from '../test-workers/harness';

const [url, prefix, leaseMs, count, seed] = process.argv.slice(2);
const runner = new JobRunner({
  data: sampleData(),
  threads: 1,
  store: redisStore({ url: url as string, prefix, leaseMs: Number(leaseMs) }),
  workerFile: fixtureWorker('slow'),
});
const ids = await Promise.all(mixedJobs(Number(count), Number(seed)).map((job) => runner.submit(job.name, job.params)));
process.stdout.write(`${JSON.stringify(ids)}\n`);
