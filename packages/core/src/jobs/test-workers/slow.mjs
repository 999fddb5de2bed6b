import { block } from './board.mjs';
import { realWorker } from './faulty.mjs';

/** How long every batch takes, in milliseconds. */
const BATCH_MS = 150;

// The real worker, slowed down so that jobs queue up deterministically.
export default (task) => {
  block(BATCH_MS);
  return realWorker(task);
};
