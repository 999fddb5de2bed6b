import { Tinypool } from 'tinypool';
import { messageOf } from '../errors';
import { StatsIndex } from '../ingest/stats-index';
import { AnswerCache } from '../queries/answers';
import { QUERY_NAMES } from '../queries/table';
import { type BatchJob, type BatchOutcome, type BatchPayload, decodeBatch, type WorkerData } from './batch';
import { writeOutcomeFileSync } from './outcome-files';
import { serveTasks } from './pool';
import type { StoredOutcome } from './store';

const { board, data } = Tinypool.workerData as { board: Int32Array; data: WorkerData };
// The index arrays are SharedArrayBuffer views: attaching copies the small dictionaries only.
const answers = new AnswerCache(new StatsIndex(data.index));

function answer({ query, question, cell }: BatchJob): StoredOutcome {
  try {
    const name = QUERY_NAMES[query];
    if (name === undefined) throw new Error(`unknown query #${query}`);
    return { status: 'done', json: answers.json({ name, question, cell }) };
  } catch (error) {
    return { status: 'error', reason: messageOf(error) };
  }
}

function runJob(job: BatchJob): BatchOutcome {
  const outcome = answer(job);
  if (data.folder === undefined) return outcome;
  try {
    writeOutcomeFileSync(data.folder, job.id, outcome);
    return { ...outcome, saved: true };
  } catch (error) {
    // The runner saves this failure itself, or at least remembers it.
    return { status: 'error', reason: `could not persist the outcome: ${messageOf(error)}` };
  }
}

function runBatch(payload: BatchPayload): BatchOutcome[] {
  return Array.from(decodeBatch(payload), runJob);
}

export default serveTasks(board, runBatch);
