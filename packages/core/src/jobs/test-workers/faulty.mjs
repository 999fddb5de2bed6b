// The real worker with a fault injected into the batches that hold a poison job.
import { onBoard } from './board.mjs';

const { QUERY_NAMES } = await import('../../queries/table.ts');
const { decodeBatch } = await import('../batch.ts');

/** The real worker's task handler (from source, as the runner loads it under vitest). */
export const realWorker = (await import('../worker-dev.mjs')).default;

/** Jobs of this query poison their batch; every other batch runs for real. */
const POISON_QUERY = 'global_mean';
const poisonCode = QUERY_NAMES.indexOf(POISON_QUERY);

/** Whether a batch holds a poison job. */
export const isPoisoned = (payload) => [...decodeBatch(payload)].some((job) => job.query === poisonCode);

/** The real worker, except that a batch with a poison job runs `fault`, on the board like a real task. */
export function faultyWorker(fault) {
  const faulty = onBoard(fault);
  return (task) => (isPoisoned(task.payload) ? faulty(task) : realWorker(task));
}
