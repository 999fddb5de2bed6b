import { afterEach, describe, expect, it, vi } from 'vitest';
import { RemoteWaits } from './remote-waits';
import type { JobStatus } from './store';

afterEach(() => {
  vi.useRealTimers();
});

/** A shared store whose statuses the test sets, recording every ask. */
function fakeStore(initial: Record<number, JobStatus>) {
  const statuses = new Map(Object.entries(initial).map(([n, status]) => [Number(n), status]));
  const asks: number[][] = [];
  let down = false;
  return {
    asks,
    set: (n: number, status: JobStatus) => statuses.set(n, status),
    setDown: (value: boolean) => {
      down = value;
    },
    statuses: async (ids: readonly number[]) => {
      asks.push([...ids]);
      if (down) throw new Error('ECONNREFUSED');
      return ids.map((n) => statuses.get(n));
    },
  };
}

describe('RemoteWaits', () => {
  it('answers at once for a job that has ended or that the store does not know', async () => {
    const store = fakeStore({ 1: 'done', 2: 'error' });
    const waits = new RemoteWaits(store);
    await expect(waits.settled(1, 1000)).resolves.toBe(true);
    await expect(waits.settled(2, 1000)).resolves.toBe(true);
    await expect(waits.settled(3, 1000)).resolves.toBe(false);
    expect(store.asks).toEqual([[1], [2], [3]]);
  });

  it('asks about every waiting job in one poll and wakes each as it ends', async () => {
    vi.useFakeTimers();
    const store = fakeStore({ 1: 'queued', 2: 'running' });
    const waits = new RemoteWaits(store);
    const first = waits.settled(1, 60_000);
    const second = waits.settled(2, 60_000);
    const again = waits.settled(1, 60_000);
    await vi.advanceTimersByTimeAsync(0);
    store.set(1, 'done');
    await vi.advanceTimersByTimeAsync(20);
    await expect(first).resolves.toBe(true);
    await expect(again).resolves.toBe(true);
    expect(store.asks.at(-1)).toEqual([1, 2]);
    store.set(2, 'error');
    await vi.advanceTimersByTimeAsync(20);
    await expect(second).resolves.toBe(true);
    expect(store.asks.at(-1)).toEqual([2]);
    // Nobody waits any more: the polling stops.
    const asked = store.asks.length;
    await vi.advanceTimersByTimeAsync(200);
    expect(store.asks).toHaveLength(asked);
  });

  it('keeps waiting through a store that is out of reach, and times out', async () => {
    vi.useFakeTimers();
    const store = fakeStore({ 5: 'running', 6: 'running' });
    const waits = new RemoteWaits(store);
    const ends = waits.settled(5, 60_000);
    const expires = waits.settled(6, 50);
    await vi.advanceTimersByTimeAsync(0);
    store.setDown(true);
    await vi.advanceTimersByTimeAsync(100);
    await expect(expires).resolves.toBe(false);
    store.setDown(false);
    store.set(5, 'done');
    await vi.advanceTimersByTimeAsync(20);
    await expect(ends).resolves.toBe(true);
    expect(store.asks.at(-1)).toEqual([5]);
  });

  it('ends a wait whose signal aborts, and stops asking for it', async () => {
    vi.useFakeTimers();
    const store = fakeStore({ 3: 'running' });
    const waits = new RemoteWaits(store);
    const client = new AbortController();
    const wait = waits.settled(3, 60_000, client.signal);
    await vi.advanceTimersByTimeAsync(0);
    client.abort();
    await expect(wait).resolves.toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    expect(store.asks).toEqual([[3]]);
  });

  it('does not ask the store when every wait timed out before the poll', async () => {
    vi.useFakeTimers();
    const store = fakeStore({ 4: 'running' });
    const waits = new RemoteWaits(store);
    const expires = waits.settled(4, 5);
    await vi.advanceTimersByTimeAsync(100);
    await expect(expires).resolves.toBe(false);
    expect(store.asks).toEqual([[4]]);
  });

  it('rejects when the first ask fails', async () => {
    const store = fakeStore({ 8: 'queued' });
    const waits = new RemoteWaits(store);
    store.setDown(true);
    await expect(waits.settled(8, 1000)).rejects.toThrow('ECONNREFUSED');
  });

  it('once closed, stops polling and ends every pending wait, even one without a timeout', async () => {
    vi.useFakeTimers();
    const store = fakeStore({ 8: 'queued', 9: 'running' });
    const waits = new RemoteWaits(store);
    const pending = [waits.settled(8, 1000), waits.settled(9, Number.POSITIVE_INFINITY)];
    await vi.advanceTimersByTimeAsync(0);
    waits.close();
    const closed = { name: 'LeStatsRunnerError', code: 'shutting_down' };
    for (const wait of pending) await expect(wait).rejects.toMatchObject(closed);
    store.set(8, 'done');
    const asked = store.asks.length;
    await vi.advanceTimersByTimeAsync(1000);
    expect(store.asks).toHaveLength(asked);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('rejects a wait whose first ask was under way as it closed', async () => {
    const store = fakeStore({ 5: 'running' });
    const waits = new RemoteWaits(store);
    const wait = waits.settled(5, 1000);
    waits.close();
    await expect(wait).rejects.toMatchObject({ code: 'shutting_down' });
  });
});
