import { exhaustMemory } from './board.mjs';
import { faultyWorker } from './faulty.mjs';

// A batch with a poison job allocates until the worker's resourceLimits kill it.
export default faultyWorker(exhaustMemory);
