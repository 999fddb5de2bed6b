import { readFile } from 'node:fs/promises';
import { DataIngestor, QUERY_NAMES, type QueryName } from '@lestats/core';
import { collectGarbage, median, progress, seededRandom, spread } from './measure';
import { type NaiveRow, naiveQuery, naiveRows, sameAnswer } from './naive-queries';
import { paramsOf, type QueryCase, queryCases } from './query-cases';
import { type DataSize, dataSizes, sampleFile } from './sample-files';
import type { Scenario } from './scenario';
import { type Metric, metric } from './table';

type Call = (data: DataIngestor, question: string, state: string) => unknown;

// Through the public methods, as a library user calls them.
const CALLS: Record<QueryName, Call> = {
  states_mean: (data, question) => data.statesMean(question),
  state_mean: (data, question, state) => data.stateMean(question, state),
  best5: (data, question) => data.best5(question),
  worst5: (data, question) => data.worst5(question),
  global_mean: (data, question) => data.globalMean(question),
  diff_from_mean: (data, question) => data.diffFromMean(question),
  state_diff_from_mean: (data, question, state) => data.stateDiffFromMean(question, state),
  mean_by_category: (data, question) => data.meanByCategory(question),
  state_mean_by_category: (data, question, state) => data.stateMeanByCategory(question, state),
};

type PerQuery<T> = Record<QueryName, T>;

const perQuery = <T>(make: (name: QueryName) => T) =>
  Object.fromEntries(QUERY_NAMES.map((name) => [name, make(name)])) as PerQuery<T>;

const nsSince = (start: bigint) => Number(process.hrtime.bigint() - start);

/** One data set under measurement, with the samples gathered so far. */
interface Subject {
  size: DataSize;
  path: string;
  data: DataIngestor;
  naive: NaiveRow[];
  cases: PerQuery<QueryCase[]>;
  cold: PerQuery<number[]>;
  repeated: PerQuery<number[]>;
  naiveMs: PerQuery<number[]>;
  mismatches: number;
}

async function load(tmpDir: string, size: DataSize): Promise<Subject> {
  const path = await sampleFile(tmpDir, size.rows);
  const data = await DataIngestor.fromFile(path);
  return {
    size,
    path,
    data,
    naive: naiveRows(await readFile(path, 'utf8')),
    cases: queryCases(data),
    cold: perQuery(() => []),
    repeated: perQuery(() => []),
    naiveMs: perQuery(() => []),
    mismatches: 0,
  };
}

/**
 * First calls: DataIngestor memoizes each (query, question, state) answer, so only the
 * first call computes. A fresh ingest of the file starts with an empty memo; every case
 * of every query gets its first call timed. `record` false only warms the JIT up.
 */
async function timeFirstCalls(subject: Subject, record: boolean): Promise<void> {
  const fresh = await DataIngestor.fromFile(subject.path);
  collectGarbage();
  for (const name of QUERY_NAMES) {
    const call = CALLS[name];
    for (const { question, state } of subject.cases[name]) {
      const start = process.hrtime.bigint();
      call(fresh, question, state);
      if (record) subject.cold[name].push(nsSince(start) / 1000);
    }
  }
}

/** Repeated calls (memoized answers): the mean cost per call over a loop through every case. */
function timeRepeatedCalls(subject: Subject, record: boolean): void {
  for (const name of QUERY_NAMES) {
    const call = CALLS[name];
    const cases = subject.cases[name];
    const passes = Math.ceil(2000 / cases.length);
    const start = process.hrtime.bigint();
    for (let pass = 0; pass < passes; pass++)
      for (const { question, state } of cases) call(subject.data, question, state);
    if (record) subject.repeated[name].push(nsSince(start) / 1000 / (passes * cases.length));
  }
}

/** The naive row scan on `calls` random cases per query, each answer checked against DataIngestor's. */
function timeNaive(subject: Subject, calls: number): number {
  const random = seededRandom(7);
  let compared = 0;
  for (const name of QUERY_NAMES) {
    const cases = subject.cases[name];
    // Call -1 warms the JIT up and is not timed.
    for (let i = -1; i < calls; i++) {
      const queryCase = cases[Math.floor(random() * cases.length)] as QueryCase;
      const start = process.hrtime.bigint();
      const answer = naiveQuery(subject.naive, name, queryCase.question, queryCase.state);
      if (i < 0) continue;
      subject.naiveMs[name].push(nsSince(start) / 1e6);
      compared++;
      if (!sameAnswer(answer, subject.data.query(name, paramsOf(name, queryCase) as never))) subject.mismatches++;
    }
  }
  return compared;
}

/**
 * Issue 3 (d)–(e): each of the nine queries on the default and the large sample, first
 * call and repeated calls, against a naive row scan. The two data sets are measured in
 * alternation, round after round, so that load from other processes falls on both alike;
 * the large set's medians are shown with the small set's as baseline.
 */
export const queries: Scenario = async ({ quick, tmpDir }) => {
  const subjects: Subject[] = [];
  for (const size of dataSizes(quick)) subjects.push(await load(tmpDir, size));
  const [small, large] = subjects as [Subject, Subject];

  const firstCallRounds = quick ? 2 : 5;
  for (let round = 0; round <= firstCallRounds; round++) {
    for (const subject of subjects) await timeFirstCalls(subject, round > 0);
  }
  progress(`first calls: ${firstCallRounds} rounds`);
  const repeatedRounds = quick ? 5 : 31;
  for (let round = -3; round < repeatedRounds; round++) {
    for (const subject of subjects) timeRepeatedCalls(subject, round >= 0);
  }
  const compared = timeNaive(small, quick ? 3 : 21) + timeNaive(large, quick ? 3 : 7);
  progress(`naive row scan: ${compared} answers`);

  const limits = [
    { on: 'value', op: '<=', limit: 50 },
    { on: 'ratio', op: '<=', limit: 1.5 },
  ] as const;
  const metrics: Metric[] = QUERY_NAMES.flatMap((name) => [
    metric({
      name: `${name}: first call`,
      value: median(large.cold[name]),
      unit: 'µs',
      baseline: median(small.cold[name]),
      targets: [...limits],
    }),
    metric({
      name: `${name}: repeated`,
      value: median(large.repeated[name]),
      unit: 'µs',
      baseline: median(small.repeated[name]),
      targets: [...limits],
    }),
    metric({
      name: `${name}: naive row scan`,
      value: median(large.naiveMs[name]),
      unit: 'ms',
      baseline: median(small.naiveMs[name]),
    }),
  ]);
  metrics.push(
    metric({
      name: `naive answers differing from DataIngestor (of ${compared})`,
      value: small.mismatches + large.mismatches,
      unit: 'answers',
      targets: [{ on: 'value', op: '<=', limit: 0 }],
    }),
  );
  const details = Object.fromEntries(
    subjects.map(({ size, data, cold, repeated, naiveMs, mismatches }) => [
      size.label,
      {
        rows: size.rows,
        kept: data.report.kept,
        firstCallMicros: perQuery((name) => spread(cold[name])),
        repeatedMicros: perQuery((name) => spread(repeated[name])),
        naiveMs: perQuery((name) => spread(naiveMs[name])),
        mismatches,
      },
    ]),
  );
  return {
    title: `Queries (issue 3 d-e): ${large.size.label} rows, baseline = the same on ${small.size.label} rows`,
    metrics,
    details,
  };
};
