// Submit a batch of jobs to a worker pool, persist results as files, and wait for all of them.
// Run: npx tsx examples/batch-jobs.ts [results-dir]
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataIngestor, fileStore, JobRunner, QUERY_NAMES } from '@lestats/core';

const resultsDir = process.argv[2] ?? mkdtempSync(join(tmpdir(), 'lestats-results-'));
const data = DataIngestor.sample();
const runner = new JobRunner({ data, threads: 2, store: fileStore(resultsDir) });
runner.on('job', (event) => {
  if (event.status === 'error') console.error(`${event.id} failed: ${event.reason}`);
});

// Every query for every question, for one state where a state is needed.
const ids = await Promise.all(
  data
    .questions()
    .flatMap(({ question, best }) =>
      QUERY_NAMES.filter((name) => best !== null || (name !== 'best5' && name !== 'worst5')).map((name) =>
        runner.submit(name, { question, state: 'Ohio' }),
      ),
    ),
);
const outcomes = await Promise.all(ids.map((id) => runner.wait(id)));
await runner.shutdown();

const done = outcomes.filter((outcome) => outcome.status === 'done').length;
console.log(`${done} of ${ids.length} jobs done; results in ${resultsDir}`);
console.log(`${ids[0]}: ${JSON.stringify(outcomes[0])}`);
