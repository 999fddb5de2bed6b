import { isPoisoned, realWorker } from './faulty.mjs';

// A batch with a poison job runs for real, so its worker writes every result file, and
// then throws: a worker that fails after saving.
export default (task) => {
  const outcomes = realWorker(task);
  if (isPoisoned(task.payload)) throw new Error('failed after saving');
  return outcomes;
};
