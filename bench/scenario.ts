import type { Metric } from './table';

/** What every scenario process is told by bench/run.ts. */
export interface ScenarioContext {
  /** Small sizes: a smoke run that proves the harness works, not a measurement. */
  quick: boolean;
  /** A scratch folder shared by the scenarios of one run (sample files live here). */
  tmpDir: string;
  /** Worker threads, the same for the raw pool, the runner and the server. */
  threads: number;
}

/** One scenario's outcome: the rows of its table, and any figures worth keeping beside them. */
export interface ScenarioResult {
  title: string;
  metrics: Metric[];
  details?: Record<string, unknown>;
}

/** A benchmark scenario, run in its own process. */
export type Scenario = (context: ScenarioContext) => Promise<ScenarioResult>;
