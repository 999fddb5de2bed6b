import { availableParallelism } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveThreads, WorkerPool, type WorkerPoolOptions } from './pool';

describe('resolveThreads', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it('takes the option first, then TP_NUM_OF_THREADS, then the machine parallelism', () => {
    vi.stubEnv('TP_NUM_OF_THREADS', '3');
    expect(resolveThreads(5)).toBe(5);
    expect(resolveThreads()).toBe(3);
    vi.stubEnv('TP_NUM_OF_THREADS', undefined);
    expect(resolveThreads()).toBe(availableParallelism());
  });

  it('takes 1 and 1024, the bounds, from the option and from TP_NUM_OF_THREADS', () => {
    expect(resolveThreads(1)).toBe(1);
    expect(resolveThreads(1024)).toBe(1024);
    vi.stubEnv('TP_NUM_OF_THREADS', '1024');
    expect(resolveThreads()).toBe(1024);
    vi.stubEnv('TP_NUM_OF_THREADS', '1');
    expect(resolveThreads()).toBe(1);
  });

  it.each(['', ' '])('reads TP_NUM_OF_THREADS=%j as unset', (value) => {
    vi.stubEnv('TP_NUM_OF_THREADS', value);
    expect(resolveThreads()).toBe(availableParallelism());
  });

  // Number() reads the last three as whole numbers: only plain digits are taken.
  const refused = ['0', '-2', '1.5', 'two', 'Infinity', '1025', '5000', '4.0', '1e1', '0x4'];

  it.each(refused)('rejects TP_NUM_OF_THREADS=%j', (value) => {
    vi.stubEnv('TP_NUM_OF_THREADS', value);
    expect(() => resolveThreads()).toThrow(RangeError);
    expect(() => resolveThreads()).toThrow(/^TP_NUM_OF_THREADS must be a whole number from 1 to 1024, got "/);
    // The option, when given, decides alone.
    expect(resolveThreads(2)).toBe(2);
  });

  it.each([0, -1, 1.5, 1025, Number.NaN, Number.POSITIVE_INFINITY])('rejects threads: %s', (threads) => {
    vi.stubEnv('TP_NUM_OF_THREADS', '2');
    expect(() => resolveThreads(threads)).toThrow(RangeError);
    expect(() => resolveThreads(threads)).toThrow(/threads must be a whole number from 1 to 1024/);
  });
});

type Command =
  | { op: 'echo'; value: unknown }
  | { op: 'sleep'; ms: number; value: unknown }
  | { op: 'throw'; message: string }
  | { op: 'exit'; afterMs?: number }
  | { op: 'oom' };

// These tests need workers that really fail; every worker runs test-workers/commands.mjs.
describe('WorkerPool', () => {
  const pools: WorkerPool[] = [];

  afterEach(async () => {
    await Promise.all(pools.splice(0).map((pool) => pool.destroy()));
  });

  function makePool(options: Partial<WorkerPoolOptions> = {}) {
    const pool = new WorkerPool({
      filename: new URL('./test-workers/commands.mjs', import.meta.url),
      threads: 1,
      workerData: null,
      ...options,
    });
    pools.push(pool);
    return { pool, run: (command: Command) => pool.run<Command, unknown>(command) };
  }

  it('runs tasks and reports its thread count', async () => {
    const { pool, run } = makePool({ threads: 2 });
    expect(pool.threads).toBe(2);
    expect(await Promise.all([1, 2, 3, 4].map((value) => run({ op: 'echo', value })))).toEqual([1, 2, 3, 4]);
  });

  it('rejects a task that throws with its error and keeps the worker', async () => {
    const { run } = makePool();
    await expect(run({ op: 'throw', message: 'task broke' })).rejects.toThrow('task broke');
    expect(await run({ op: 'echo', value: 'after' })).toBe('after');
  });

  it('rejects the task of a worker that calls process.exit mid-task, then runs the tasks queued behind it', async () => {
    const { run } = makePool();
    const dying = run({ op: 'exit', afterMs: 20 });
    const queued = [run({ op: 'echo', value: 'a' }), run({ op: 'echo', value: 'b' })];
    await expect(dying).rejects.toThrow('worker exited while running the task');
    expect(await Promise.all(queued)).toEqual(['a', 'b']);
  });

  it('fails only the task of the worker that died, not the tasks running on other workers', async () => {
    const { run } = makePool({ threads: 2 });
    // Both workers up and idle first, so the two tasks below run side by side.
    await Promise.all([run({ op: 'sleep', ms: 50, value: 0 }), run({ op: 'sleep', ms: 50, value: 0 })]);
    const survivor = run({ op: 'sleep', ms: 300, value: 'survived' });
    const dying = run({ op: 'exit', afterMs: 30 });
    await expect(dying).rejects.toThrow('worker exited while running the task');
    expect(await survivor).toBe('survived');
  });

  it('survives repeated deaths: each dying task fails, every other task succeeds', async () => {
    const { run } = makePool({ threads: 2 });
    const outcomes = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) => (i % 3 === 0 ? run({ op: 'exit' }) : run({ op: 'echo', value: i }))),
    );
    outcomes.forEach((outcome, i) => {
      if (i % 3 === 0)
        expect(outcome).toMatchObject({
          status: 'rejected',
          reason: { message: 'worker exited while running the task' },
        });
      else expect(outcome).toEqual({ status: 'fulfilled', value: i });
    });
  });

  it('rejects the task of a worker that runs out of memory, then replaces the worker', async () => {
    const { run } = makePool({ resourceLimits: { maxOldGenerationSizeMb: 16 } });
    const dying = run({ op: 'oom' });
    const queued = run({ op: 'echo', value: 'after' });
    await expect(dying).rejects.toMatchObject({ code: 'ERR_WORKER_OUT_OF_MEMORY' });
    expect(await queued).toBe('after');
  });

  it('fails every task with the worker error, and never hangs, when no worker can even start', async () => {
    const { run } = makePool({ threads: 2, filename: new URL('./test-workers/broken.mjs', import.meta.url) });
    const outcomes = await Promise.allSettled([1, 2, 3, 4, 5, 6].map((value) => run({ op: 'echo', value })));
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ status: 'rejected', reason: { message: 'cannot load this worker' } });
    }
    await expect(run({ op: 'echo', value: 7 })).rejects.toThrow(/^cannot load this worker$/);
  });
});
