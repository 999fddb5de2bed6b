import type { StatsData } from '../ingest/stats-index';
import type { QueuedJob } from './job-queue';
import type { StoredOutcome } from './store';

/** What every worker of a runner's pool is given once, at start-up. */
export interface WorkerData {
  /** The ingested index; its arrays are SharedArrayBuffers, so workers share them. */
  index: StatsData;
  /** Set when the workers persist outcomes themselves, as files in this folder. */
  folder?: string;
}

/** Jobs of one batch, four numbers each: job number, query (index into QUERY_NAMES), question code, cell. */
export type BatchPayload = Float64Array;

/** One job of a batch, as a worker reads it. */
export type BatchJob = Pick<QueuedJob, 'id' | 'query' | 'question' | 'cell'>;

/** One job's outcome inside a batch; `saved` once the worker has persisted it itself. */
export type BatchOutcome = StoredOutcome & { saved?: true };

const FIELDS = 4;

/** Packs jobs into one typed array: a batch crosses to a worker as one copy, not one object per job. */
export function encodeBatch(jobs: readonly BatchJob[]): BatchPayload {
  const payload = new Float64Array(jobs.length * FIELDS);
  for (const [i, { id, query, question, cell }] of jobs.entries()) payload.set([id, query, question, cell], i * FIELDS);
  return payload;
}

/** The jobs of a batch, in order. */
export function* decodeBatch(payload: BatchPayload): Generator<BatchJob> {
  for (let i = 0; i < payload.length; i += FIELDS) {
    yield {
      id: payload[i] as number,
      query: payload[i + 1] as number,
      question: payload[i + 2] as number,
      cell: payload[i + 3] as number,
    };
  }
}
