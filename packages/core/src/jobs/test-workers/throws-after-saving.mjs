import { POISON_QUERY, realWorker } from './faulty.mjs';

const { QUERY_NAMES } = await import('../../queries/table.ts');
const { decodeBatch } = await import('../batch.ts');

// A batch with a poison job runs for real, so its worker writes every result file, and
// then throws: a worker that fails after saving.
export default (task) => {
  const outcomes = realWorker(task);
  for (const job of decodeBatch(task.payload)) {
    if (QUERY_NAMES[job.query] === POISON_QUERY) throw new Error('failed after saving');
  }
  return outcomes;
};
