import { fail } from '../errors';
import type { StatsIndex } from '../ingest/stats-index';
import { meanByCategory, stateMeanByCategory } from './by-category';
import type { ResultEntries } from './json';
import { diffFromMean, globalMean, stateDiffFromMean, stateMean, statesMean } from './means';
import { best5, worst5 } from './rank';

/** Parameters of a query about one question. */
export interface QuestionParams {
  question: string;
}

/** Parameters of a query about one state's answers to one question. */
export interface StateParams {
  question: string;
  state: string;
}

/** `{ state: value }`. */
export type StateValues = Record<string, number>;

/** `{ "('Category', 'Stratum')": mean }` or `{ "('State', 'Category', 'Stratum')": mean }`. */
export type CategoryMeans = Record<string, number>;

/**
 * How one query is declared: whether it takes a state, whether it needs a ranking
 * direction, and how it reads the index. `Result` is the type of its answer.
 */
export interface QueryDefinition<WithState extends boolean = boolean, Result = unknown> {
  readonly withState: WithState;
  readonly ranked: boolean;
  readonly compute: (index: StatsIndex, question: number, cell: number) => ResultEntries;
  /** Carries the result type; never set at run time. */
  readonly resultType?: Result;
}

const define =
  <Result>() =>
  <WithState extends boolean>(definition: QueryDefinition<WithState, Result>): QueryDefinition<WithState, Result> =>
    definition;

/**
 * The nine queries, declared once. Everything else — typed submission, validation,
 * HTTP routes, the CLI — is derived from this table, so a new query is one entry.
 */
export const QUERIES = {
  states_mean: define<StateValues>()({ withState: false, ranked: false, compute: (ix, q) => statesMean(ix, q) }),
  state_mean: define<StateValues>()({ withState: true, ranked: false, compute: (ix, _q, cell) => stateMean(ix, cell) }),
  best5: define<StateValues>()({ withState: false, ranked: true, compute: (ix, q) => best5(ix, q) }),
  worst5: define<StateValues>()({ withState: false, ranked: true, compute: (ix, q) => worst5(ix, q) }),
  global_mean: define<{ global_mean: number }>()({
    withState: false,
    ranked: false,
    compute: (ix, q) => globalMean(ix, q),
  }),
  diff_from_mean: define<StateValues>()({ withState: false, ranked: false, compute: (ix, q) => diffFromMean(ix, q) }),
  state_diff_from_mean: define<StateValues>()({
    withState: true,
    ranked: false,
    compute: (ix, q, cell) => stateDiffFromMean(ix, q, cell),
  }),
  mean_by_category: define<CategoryMeans>()({
    withState: false,
    ranked: false,
    compute: (ix, q) => meanByCategory(ix, q),
  }),
  state_mean_by_category: define<Record<string, CategoryMeans>>()({
    withState: true,
    ranked: false,
    compute: (ix, _q, cell) => stateMeanByCategory(ix, cell),
  }),
} as const;

/** The name of one of the nine queries, e.g. `'states_mean'`. */
export type QueryName = keyof typeof QUERIES;

/**
 * The parameters a query takes: `{ question }` or `{ question, state }`. Distributes over
 * a union of names, so code looping over {@link QUERY_NAMES} may pass either shape.
 */
export type QueryParams<N extends QueryName> = N extends QueryName
  ? (typeof QUERIES)[N] extends QueryDefinition<true>
    ? StateParams
    : QuestionParams
  : never;

/** The result a query answers with. */
export type QueryResult<N extends QueryName> =
  (typeof QUERIES)[N] extends QueryDefinition<boolean, infer R> ? R : never;

/** Every query name, in the table's order. */
export const QUERY_NAMES = Object.keys(QUERIES) as QueryName[];

/** Whether `name` is one of the nine queries. */
export function isQueryName(name: string): name is QueryName {
  return Object.hasOwn(QUERIES, name);
}

/** A validated query: its name and the codes it reads (`cell` is -1 for queries without a state). */
export interface ResolvedQuery {
  name: QueryName;
  question: number;
  cell: number;
}

function stringParam(params: unknown, key: 'question' | 'state'): string {
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[key] : undefined;
  if (typeof value !== 'string') {
    throw fail.input('invalid_params', `"${key}" is required and must be a string`);
  }
  return value;
}

/**
 * Checks a query's parameters against the index (SPEC 3, bad input) and resolves them
 * to codes. Throws {@link LeStatsInputError}; computes nothing.
 */
export function resolveQuery(index: StatsIndex, name: string, params: unknown): ResolvedQuery {
  if (!isQueryName(name)) throw fail.input('unknown_query', `unknown query "${name}"`);
  const definition: QueryDefinition = QUERIES[name];
  const question = stringParam(params, 'question');
  const code = index.questionCode(question);
  if (code === undefined) throw fail.input('unknown_question', `unknown question: ${JSON.stringify(question)}`);
  if (definition.ranked && index.direction(code) === null) {
    throw fail.input(
      'no_ranking',
      `question ${JSON.stringify(question)} has no ranking direction, so it has no ${name}`,
    );
  }
  if (!definition.withState) return { name, question: code, cell: -1 };
  const state = stringParam(params, 'state');
  const stateCode = index.stateCode(state);
  const cell = stateCode === undefined ? -1 : index.cellOf(code, stateCode);
  if (cell < 0) {
    throw fail.input(
      'unknown_state',
      `no data for state ${JSON.stringify(state)} on question ${JSON.stringify(question)}`,
    );
  }
  return { name, question: code, cell };
}

/** Computes a resolved query: cost depends on states and strata, never on rows. */
export function computeQuery(index: StatsIndex, query: ResolvedQuery): ResultEntries {
  return QUERIES[query.name].compute(index, query.question, query.cell);
}
