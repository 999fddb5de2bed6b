import { fail, shown } from './errors';
import { compareCodePoints } from './ingest/code-points';
import { type ProgressHandler, parseCsvRows, readCsvFile } from './ingest/csv';
import { ColumnsBuilder, type YearWindow } from './ingest/dataset';
import type { IngestReport } from './ingest/report';
import { type SampleOptions, sampleCsvChunks } from './ingest/sample';
import { type RankingDirection, StatsIndex } from './ingest/stats-index';
import { AnswerCache } from './queries/answers';
import { DEFAULT_RANKING, directionLookup, type RankingLists } from './queries/rank';
import {
  type CategoryMeans,
  type QueryName,
  type QueryParams,
  type QueryResult,
  type ResolvedQuery,
  resolveQuery,
  type StateValues,
} from './queries/table';

/** Options for every way of loading data. */
export interface IngestOptions {
  /** Keep only rows with `from <= YearStart` and `YearEnd <= to`. */
  years?: YearWindow;
  /**
   * Ranking directions for best5/worst5. Each list given replaces the default one
   * ({@link DEFAULT_RANKING}); spread the default to extend it.
   */
  ranking?: Partial<RankingLists>;
  /** Called as a file is read, with bytes read so far and the file's size. */
  onProgress?: ProgressHandler;
}

/** One question of the data set, as `/api/questions` lists it. */
export interface QuestionInfo {
  question: string;
  /** Which end of the ranking is best, or null when best5/worst5 do not apply. */
  best: RankingDirection | null;
  /** How many states have counted rows for the question. */
  states: number;
}

// Options come from JavaScript and JSON as often as from TypeScript: anything that is not an
// object is refused here, where a destructuring would throw a bare TypeError.
const isObject = (value: unknown): value is object => typeof value === 'object' && value !== null;

// A list left undefined keeps its default; spreading the options would erase it. Only
// undefined does: a null is as much a mistake as any other non-list.
function rankingList(ranking: Partial<RankingLists> | undefined, key: keyof RankingLists): readonly string[] {
  const list: unknown = ranking?.[key] === undefined ? DEFAULT_RANKING[key] : ranking[key];
  if (!Array.isArray(list) || list.some((question) => typeof question !== 'string'))
    throw fail.data('invalid_option', `ranking.${key} must be an array of question strings, got ${shown(list)}`);
  return list;
}

const isYearWindow = (years: unknown): years is YearWindow =>
  Array.isArray(years) &&
  years.length === 2 &&
  Number.isFinite(years[0]) &&
  Number.isFinite(years[1]) &&
  years[0] <= years[1];

/** Checks the options before any data is read, and gives the ranking lists they make. */
function checkOptions(options: IngestOptions): RankingLists {
  if (!isObject(options)) throw fail.data('invalid_option', `options must be an object, got ${shown(options)}`);
  const { years, ranking } = options;
  if (years !== undefined && !isYearWindow(years))
    throw fail.data('invalid_option', `years must be [from, to] with from <= to, got ${shown(years)}`);
  if (ranking !== undefined && !isObject(ranking))
    throw fail.data('invalid_option', `ranking must be an object of question lists, got ${shown(ranking)}`);
  const lists = { bestIsMin: rankingList(ranking, 'bestIsMin'), bestIsMax: rankingList(ranking, 'bestIsMax') };
  const max = new Set(lists.bestIsMax);
  const both = lists.bestIsMin.filter((q) => max.has(q));
  if (both.length > 0)
    throw fail.data('invalid_option', `a question cannot be best at both ends: ${JSON.stringify(both[0])}`);
  return lists;
}

/**
 * A loaded, indexed data set and the nine queries over it. Queries are synchronous and
 * cost depends on states and strata, not rows; bad input throws {@link LeStatsInputError}.
 *
 * @example
 * ```ts
 * const data = await DataIngestor.fromFile('brfss.csv', { years: [2011, 2022] });
 * const [q] = data.questions();
 * console.log(data.best5(q.question));
 * ```
 */
export class DataIngestor {
  /** What ingest did with the rows (kept, skipped by reason). */
  readonly report: IngestReport;
  /** Where the data came from: a file path, `'sample'` or `'string'`. */
  readonly source: string;
  /** The aggregates the queries read; what a worker attaches to. */
  readonly index: StatsIndex;

  readonly #answers: AnswerCache;

  private constructor(index: StatsIndex, report: IngestReport, source: string) {
    this.index = index;
    this.#answers = new AnswerCache(index);
    this.report = report;
    this.source = source;
  }

  /** Reads and indexes a CSV file in bounded chunks (any size). */
  static async fromFile(path: string, options: IngestOptions = {}): Promise<DataIngestor> {
    const ranking = checkOptions(options);
    const builder = new ColumnsBuilder(options.years);
    await readCsvFile(path, builder.addRow, options.onProgress);
    return DataIngestor.#finish(builder, ranking, path);
  }

  /** Indexes CSV text already in memory (a leading byte-order mark is dropped). */
  static fromString(text: string, options: IngestOptions = {}): DataIngestor {
    return DataIngestor.#fromLines(() => [text.charCodeAt(0) === 0xfeff ? text.slice(1) : text], options, 'string');
  }

  /** Indexes the built-in synthetic sample (not real CDC data), of any size. */
  static sample(options: SampleOptions & IngestOptions = {}): DataIngestor {
    return DataIngestor.#fromLines(() => sampleCsvChunks(options), options, 'sample');
  }

  // Each piece holds whole lines, so each parses on its own. They are asked for only once
  // the options have passed, so bad options fail the same way whatever the source.
  static #fromLines(pieces: () => Iterable<string>, options: IngestOptions, source: string): DataIngestor {
    const ranking = checkOptions(options);
    const builder = new ColumnsBuilder(options.years);
    for (const piece of pieces()) parseCsvRows(piece, builder.addRow);
    return DataIngestor.#finish(builder, ranking, source);
  }

  static #finish(builder: ColumnsBuilder, ranking: RankingLists, source: string): DataIngestor {
    if (!builder.hasHeader) throw fail.data('empty_file', `${source} is empty: expected a CSV header row`);
    const index = StatsIndex.build(builder.finish(), directionLookup(ranking));
    return new DataIngestor(index, builder.report, source);
  }

  /** Every question with counted rows, in code-point order, with its ranking direction. */
  questions(): QuestionInfo[] {
    const { questions, cellOffset } = this.index.data;
    return questions
      .map((question, q) => ({
        question,
        best: this.index.direction(q),
        states: (cellOffset[q + 1] as number) - (cellOffset[q] as number),
      }))
      .sort((a, b) => compareCodePoints(a.question, b.question));
  }

  /** Every state with counted rows, in code-point order. */
  states(): string[] {
    const { states, stateRank } = this.index.data;
    const sorted = new Array<string>(states.length);
    states.forEach((state, code) => {
      sorted[stateRank[code] as number] = state;
    });
    return sorted;
  }

  /**
   * Checks a query's parameters without computing it; throws {@link LeStatsInputError}
   * on bad input. `params` may come straight from untrusted JSON.
   */
  resolve(name: string, params: unknown): ResolvedQuery {
    return resolveQuery(this.index, name, params);
  }

  /**
   * Runs a query by name. Answers are computed once and shared, so the result is
   * deep-frozen: copy it before changing it.
   */
  query<N extends QueryName>(name: N, params: QueryParams<N>): Readonly<QueryResult<N>> {
    return this.#answers.object(this.resolve(name, params)) as QueryResult<N>;
  }

  /**
   * Runs a query by name and returns its JSON text, exactly as the HTTP API and result
   * files write it: the SPEC's key order (even for integer-like keys, which plain
   * objects reorder) and floats that keep their `.0`.
   */
  queryJson<N extends QueryName>(name: N, params: QueryParams<N>): string {
    return this.#answers.json(this.resolve(name, params));
  }

  /** `{ state: mean }` for every state, ascending by mean, ties by name. */
  statesMean(question: string): Readonly<StateValues> {
    return this.query('states_mean', { question });
  }

  /** `{ state: mean }` for one state. */
  stateMean(question: string, state: string): Readonly<StateValues> {
    return this.query('state_mean', { question, state });
  }

  /** The five best states, best first (needs a ranking direction). */
  best5(question: string): Readonly<StateValues> {
    return this.query('best5', { question });
  }

  /** The five worst states, worst first (needs a ranking direction). */
  worst5(question: string): Readonly<StateValues> {
    return this.query('worst5', { question });
  }

  /** `{ global_mean }`: the mean over every counted row of the question. */
  globalMean(question: string): Readonly<{ global_mean: number }> {
    return this.query('global_mean', { question });
  }

  /** `{ state: global_mean - state_mean }` for every state, in {@link statesMean} order. */
  diffFromMean(question: string): Readonly<StateValues> {
    return this.query('diff_from_mean', { question });
  }

  /** `{ state: global_mean - state_mean }` for one state. */
  stateDiffFromMean(question: string, state: string): Readonly<StateValues> {
    return this.query('state_diff_from_mean', { question, state });
  }

  /** `{ "('State', 'Category', 'Stratum')": mean }`, sorted by state, category, stratum. */
  meanByCategory(question: string): Readonly<CategoryMeans> {
    return this.query('mean_by_category', { question });
  }

  /** `{ state: { "('Category', 'Stratum')": mean } }`, sorted by category, stratum. */
  stateMeanByCategory(question: string, state: string): Readonly<Record<string, Readonly<CategoryMeans>>> {
    return this.query('state_mean_by_category', { question, state });
  }
}
