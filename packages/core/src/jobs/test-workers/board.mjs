// What every fixture worker shares: the pool's task protocol (tasks reported on the shared
// board, so the pool knows what a dying worker was running) and the faults they inject.
import { Tinypool } from 'tinypool';
import { register } from 'tsx/esm/api';

register();
const { serveTasks } = await import('../pool.ts');
const { board } = Tinypool.workerData;

/** A task handler that reports on the pool's board while it runs, as real workers do. */
export function onBoard(handler) {
  return serveTasks(board, handler);
}

/** Blocks the thread, like a task that computes for `ms` milliseconds. */
export function block(ms) {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Allocates live memory until the worker's heap limit kills it. */
export function exhaustMemory() {
  const hoard = [];
  for (;;) hoard.push(new Array(100_000).fill(hoard.length));
}
