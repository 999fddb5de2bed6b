export { DataIngestor, type IngestOptions, type QuestionInfo } from './data-source';
export {
  type DataErrorCode,
  type InputErrorCode,
  LeStatsDataError,
  LeStatsError,
  LeStatsInputError,
  LeStatsRunnerError,
  type RunnerErrorCode,
} from './errors';
export { type ColumnName, REQUIRED_COLUMNS } from './ingest/columns';
export type { ProgressHandler } from './ingest/csv';
export type { YearWindow } from './ingest/dataset';
export type { IngestReport } from './ingest/report';
export { type SampleOptions, sampleCsv, sampleCsvChunks } from './ingest/sample';
export type { RankingDirection, StatsData, StatsIndex } from './ingest/stats-index';
export { fileStore } from './jobs/file-store';
export { isJobId, type JobId, parseJobId } from './jobs/job-id';
export { memoryStore } from './jobs/memory-store';
export { resolveThreads } from './jobs/pool';
export { type RedisStoreOptions, redisStore } from './jobs/redis-store';
export {
  type JobCounts,
  type JobEvent,
  type JobOutcome,
  JobRunner,
  type JobRunnerOptions,
  type JobStatus,
} from './jobs/runner';
export type {
  AdoptedJob,
  IssuedIds,
  JobPage,
  RecoveredJobs,
  ResultStore,
  SharedJobs,
  StoredOutcome,
} from './jobs/store';
export { formatFloat, type ResultEntries, resultToJson } from './queries/json';
export { pythonStringRepr } from './queries/python-repr';
export { DEFAULT_RANKING, type RankingLists } from './queries/rank';
export {
  type CategoryMeans,
  isQueryName,
  QUERIES,
  QUERY_NAMES,
  type QueryDefinition,
  type QueryName,
  type QueryParams,
  type QueryResult,
  type QuestionParams,
  type ResolvedQuery,
  type StateParams,
  type StateValues,
} from './queries/table';
