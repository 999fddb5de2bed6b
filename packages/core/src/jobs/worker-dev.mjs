// Runs the TypeScript worker from source (tests, tsx scripts). Node 20 worker threads
// ignore `--import` loaders in execArgv, so tsx is registered from inside the worker.
import { register } from 'tsx/esm/api';

register();
export default (await import('./worker.ts')).default;
