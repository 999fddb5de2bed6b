import { faultyWorker } from './faulty.mjs';

// A batch with a poison job throws inside its task.
export default faultyWorker(() => {
  throw new Error('poisoned batch');
});
