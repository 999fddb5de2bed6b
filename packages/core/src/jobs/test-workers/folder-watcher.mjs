// Watches a results folder from its own thread, with blocking file calls, so that its reads
// race the runner's writes instead of queueing behind them in the main thread's I/O pool.
// It reads every `job_id_N(.error).json` the moment it first lists it; once told to stop,
// it looks one last time.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';

const { dir, stop } = workerData;
const finished = /^job_id_[1-9]\d*(\.error)?\.json$/;
const files = new Map();
const otherNames = new Set();
let roundsWithNewFiles = 0;

for (;;) {
  const stopping = Atomics.load(stop, 0) !== 0;
  let listedNew = false;
  for (const name of readdirSync(dir)) {
    if (files.has(name)) continue;
    if (!finished.test(name)) {
      otherNames.add(name);
      continue;
    }
    try {
      files.set(name, readFileSync(join(dir, name), 'utf8'));
      listedNew = true;
    } catch (error) {
      files.set(name, `unreadable: ${error.code}`);
    }
  }
  if (listedNew) roundsWithNewFiles++;
  if (stopping) break;
  Atomics.wait(stop, 0, 0, 1);
}

parentPort.postMessage({ files: [...files], otherNames: [...otherNames], roundsWithNewFiles });
