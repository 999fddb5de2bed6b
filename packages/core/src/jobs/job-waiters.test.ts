import { getEventListeners } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JobWaiters } from './job-waiters';

afterEach(() => {
  vi.useRealTimers();
});

describe('JobWaiters', () => {
  it('wakes every wait on a job, and only on that job', async () => {
    const waiters = new JobWaiters();
    const first = waiters.wait(1);
    const second = waiters.wait(1, 60_000);
    const other = waiters.wait(2, 60_000);
    expect(waiters.jobs()).toEqual([1, 2]);
    waiters.wake(1);
    await expect(first).resolves.toBe(true);
    await expect(second).resolves.toBe(true);
    expect(waiters.jobs()).toEqual([2]);
    waiters.wake(2);
    await expect(other).resolves.toBe(true);
    expect(waiters.jobs()).toEqual([]);
  });

  it('resolves false when the time passes first, and forgets that wait alone', async () => {
    vi.useFakeTimers();
    const waiters = new JobWaiters();
    const short = waiters.wait(7, 100);
    const long = waiters.wait(7, 10_000);
    vi.advanceTimersByTime(100);
    await expect(short).resolves.toBe(false);
    expect(waiters.jobs()).toEqual([7]);
    waiters.wake(7);
    await expect(long).resolves.toBe(true);
    vi.advanceTimersByTime(10_000);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('leaves nothing behind once the last wait on a job times out', async () => {
    vi.useFakeTimers();
    const waiters = new JobWaiters();
    const wait = waiters.wait(3, 50);
    vi.advanceTimersByTime(50);
    await expect(wait).resolves.toBe(false);
    expect(waiters.jobs()).toEqual([]);
  });

  it('rejects every wait on every job when abandoned, and forgets them', async () => {
    vi.useFakeTimers();
    const waiters = new JobWaiters();
    const waits = [waiters.wait(1), waiters.wait(1, 500), waiters.wait(2)];
    const gone = new Error('gone');
    waiters.abandon(gone);
    for (const wait of waits) await expect(wait).rejects.toBe(gone);
    expect(waiters.jobs()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('does nothing when woken for a job nobody waits for', () => {
    const waiters = new JobWaiters();
    expect(() => waiters.wake(9)).not.toThrow();
    expect(waiters.jobs()).toEqual([]);
  });

  it('resolves false when the signal aborts first, and forgets that wait alone', async () => {
    vi.useFakeTimers();
    const waiters = new JobWaiters();
    const controller = new AbortController();
    const aborted = waiters.wait(4, 10_000, controller.signal);
    const other = waiters.wait(4);
    controller.abort();
    await expect(aborted).resolves.toBe(false);
    expect(vi.getTimerCount()).toBe(0);
    expect(waiters.jobs()).toEqual([4]);
    waiters.wake(4);
    await expect(other).resolves.toBe(true);
  });

  it('still times out after the longest delay a Node timer takes', async () => {
    vi.useFakeTimers();
    const waiters = new JobWaiters();
    let ended: boolean | undefined;
    void waiters.wait(9, 2 ** 31 - 1).then((value) => {
      ended = value;
    });
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(ended).toBe(false);
    expect(waiters.jobs()).toEqual([]);
  });

  it('waits without limit for a timeout longer than a Node timer can take', async () => {
    const waiters = new JobWaiters();
    const wait = waiters.wait(8, 2 ** 31);
    let ended: boolean | undefined;
    void wait.then((value) => {
      ended = value;
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(ended).toBeUndefined();
    waiters.wake(8);
    await expect(wait).resolves.toBe(true);
  });

  it('resolves false at once for a signal already aborted, and keeps nothing', async () => {
    vi.useFakeTimers();
    const waiters = new JobWaiters();
    const wait = waiters.wait(5, 1_000, AbortSignal.abort());
    // Checked before the wait settles: an aborted signal fires no event, so a wait registered
    // anyway would only end at its timeout, holding a timer and a place until then.
    expect(waiters.jobs()).toEqual([]);
    expect(vi.getTimerCount()).toBe(0);
    await expect(wait).resolves.toBe(false);
  });

  it('stops listening to the signal once the job ends', async () => {
    const waiters = new JobWaiters();
    const controller = new AbortController();
    const wait = waiters.wait(6, Number.POSITIVE_INFINITY, controller.signal);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    waiters.wake(6);
    await expect(wait).resolves.toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });
});
