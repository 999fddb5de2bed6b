// Many clients at once, each submitting a seeded mix of every query and polling the way the
// original service's clients do: ids stay unique and every result is exactly right.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectedJson, mixedJobs, sampleData } from '../../packages/core/src/jobs/test-workers/harness';
import { call, cleanUp, doneBody, startServer, submit } from './harness';

const CLIENTS = 16;
const JOBS_PER_CLIENT = 12;

afterAll(cleanUp);

// Polls without `wait`, as the original clients do: every poll must be a 200.
async function poll(url: string, id: string): Promise<string> {
  for (;;) {
    const answer = await call(url, `/api/get_results/${id}`);
    expect(answer.status).toBe(200);
    if (answer.text !== '{"status":"running"}') return answer.text;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('concurrent clients', () => {
  it(`${CLIENTS} clients × ${JOBS_PER_CLIENT} jobs: unique ids, exact results, every result file written`, async () => {
    const { server, resultsDir } = await startServer({ data: sampleData(), threads: 2 });
    const outcomes = await Promise.all(
      Array.from({ length: CLIENTS }, async (_, client) => {
        const done: Array<{ id: string; expected: string; body: string }> = [];
        for (const job of mixedJobs(JOBS_PER_CLIENT, client + 1)) {
          const id = await submit(server, job.name, job.params);
          done.push({ id, expected: expectedJson(job), body: await poll(server.url, id) });
        }
        return done;
      }),
    );
    const all = outcomes.flat();
    const total = CLIENTS * JOBS_PER_CLIENT;
    // Listed as soon as the last answer came, as a client checking the folder would: results only.
    expect((await readdir(resultsDir)).sort()).toEqual(all.map((job) => `${job.id}.json`).sort());
    expect(new Set(all.map((job) => job.id)).size).toBe(total);
    expect(all.map((job) => Number(job.id.slice('job_id_'.length))).sort((a, b) => a - b)).toEqual(
      Array.from({ length: total }, (_, i) => i + 1),
    );
    for (const { id, expected, body } of all) {
      expect(body, id).toBe(doneBody(expected));
      expect(await readFile(join(resultsDir, `${id}.json`), 'utf8'), id).toBe(expected);
    }
    const { data: list } = (await call(server, '/api/jobs')).body as { data: object[] };
    expect(list).toHaveLength(total);
    expect(list.every((entry) => Object.values(entry)[0] === 'done')).toBe(true);
    expect((await call(server, '/api/num_jobs')).body).toEqual({ num_jobs: 0 });
  });
});
