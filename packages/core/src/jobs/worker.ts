import { Tinypool } from 'tinypool';
import { messageOf } from '../errors';
import type { StatsData } from '../ingest/stats-index';
import { StatsIndex } from '../ingest/stats-index';
import { AnswerCache } from '../queries/answers';
import { QUERY_NAMES } from '../queries/table';
import { serveTasks } from './pool';

/** Jobs of one batch, three numbers each: query (index into QUERY_NAMES), question code, cell. */
export type BatchPayload = Float64Array;

/** One job's outcome inside a batch: its result as JSON text, or why it failed. */
export type BatchOutcome = { json: string } | { reason: string };

const { board, data } = Tinypool.workerData as { board: Int32Array; data: StatsData };
// The index arrays are SharedArrayBuffer views: attaching copies the small dictionaries only.
const answers = new AnswerCache(new StatsIndex(data));

function runBatch(jobs: BatchPayload): BatchOutcome[] {
  const out: BatchOutcome[] = [];
  for (let i = 0; i < jobs.length; i += 3) {
    try {
      const name = QUERY_NAMES[jobs[i] as number];
      if (name === undefined) throw new Error(`unknown query #${jobs[i]}`);
      out.push({ json: answers.json({ name, question: jobs[i + 1] as number, cell: jobs[i + 2] as number }) });
    } catch (error) {
      out.push({ reason: messageOf(error) });
    }
  }
  return out;
}

export default serveTasks(board, runBatch);
