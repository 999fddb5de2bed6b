import { afterEach, describe, expect, it } from 'vitest';
import { LeStatsInputError } from '../errors';
import { pageOf } from './job-page';
import { cleanUp, mixedJobs, STORES, startRunner } from './test-workers/harness';

afterEach(cleanUp);

describe('pageOf', () => {
  it('defaults to the whole list and keeps a valid page as it is', () => {
    expect(pageOf()).toEqual({ offset: 0, limit: Number.POSITIVE_INFINITY });
    expect(pageOf({ limit: 5 })).toEqual({ offset: 0, limit: 5 });
    expect(pageOf({ offset: 7, limit: 0 })).toEqual({ offset: 7, limit: 0 });
  });

  it.each([
    [{ offset: -1 }, 'offset must be a whole number >= 0, got -1'],
    [{ offset: 1.5 }, 'offset must be a whole number >= 0, got 1.5'],
    [{ offset: Number.NaN }, 'offset must be a whole number >= 0, got NaN'],
    [{ limit: -2 }, 'limit must be a whole number >= 0, got -2'],
    [{ limit: 2 ** 60 }, `limit must be a whole number >= 0, got ${2 ** 60}`],
  ])('refuses %o', (page, message) => {
    expect(() => pageOf(page)).toThrow(LeStatsInputError);
    expect(() => pageOf(page)).toThrow(message);
  });
});

describe.each(STORES)('JobRunner paging with %s', (_name, makeStore) => {
  it('pages list() and jobs() as slices of the whole list, which keeps its shape', async () => {
    const runner = startRunner({ store: (await makeStore()).store });
    const ids = await Promise.all(mixedJobs(9, 4).map((job) => runner.submit(job.name, job.params)));
    for (const id of ids) await runner.settled(id);
    const whole = ids.map((id) => ({ id, status: 'done' }));
    expect(runner.list()).toEqual(whole);
    expect(await runner.jobs()).toEqual(whole);
    expect(runner.list({ offset: 2, limit: 3 })).toEqual(whole.slice(2, 5));
    expect(await runner.jobs({ offset: 7 })).toEqual(whole.slice(7));
    expect(runner.list({ offset: 9 })).toEqual([]);
    expect(runner.list({ limit: 0 })).toEqual([]);
    expect(await runner.pendingTotal()).toBe(0);
    expect(await runner.lookup(ids[0] as string)).toBe('done');
    expect(await runner.lookup('job_id_99')).toBeUndefined();
    await expect(runner.jobs({ limit: -1 })).rejects.toThrow(LeStatsInputError);
  });
});
