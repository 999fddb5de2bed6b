import { faultyWorker } from './faulty.mjs';

// A batch with a poison job kills its worker with process.exit mid-task.
export default faultyWorker(() => process.exit(1));
