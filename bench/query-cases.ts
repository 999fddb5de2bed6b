import { type DataIngestor, QUERIES, QUERY_NAMES, type QueryName } from '@lestats/core';

/** One valid question (and state, for the queries that take one) of a data set. */
export interface QueryCase {
  question: string;
  /** Empty for the queries without a state. */
  state: string;
}

/** The parameters a query takes for a case: `{ question }` or `{ question, state }`. */
export function paramsOf(name: QueryName, { question, state }: QueryCase) {
  return QUERIES[name].withState ? { question, state } : { question };
}

function accepts(data: DataIngestor, name: QueryName, queryCase: QueryCase): boolean {
  try {
    data.resolve(name, paramsOf(name, queryCase));
    return true;
  } catch {
    return false;
  }
}

/** Every case each query accepts on `data`: all questions, times all states where the query takes one. */
export function queryCases(data: DataIngestor): Record<QueryName, QueryCase[]> {
  const questions = data.questions().map(({ question }) => question);
  const states = data.states();
  const pairs = questions.flatMap((question) => states.map((state) => ({ question, state })));
  const singles = questions.map((question) => ({ question, state: '' }));
  return Object.fromEntries(
    QUERY_NAMES.map((name) => [
      name,
      (QUERIES[name].withState ? pairs : singles).filter((queryCase) => accepts(data, name, queryCase)),
    ]),
  ) as Record<QueryName, QueryCase[]>;
}
