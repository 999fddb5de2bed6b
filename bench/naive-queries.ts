// The nine queries the plain way: every call scans every row. The yardstick the indexed
// DataIngestor is compared with; written for clarity, not speed.
import { DEFAULT_RANKING, pythonStringRepr, type QueryName } from '@lestats/core';
import { csvParseRows } from 'd3-dsv';

/** A counted row (SPEC 2.2): the fields the queries read. */
export interface NaiveRow {
  question: string;
  state: string;
  value: number;
  category: string;
  stratum: string;
}

const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** Parses CSV text into the rows that count: non-empty question and state, numeric value. */
export function naiveRows(text: string): NaiveRow[] {
  const [header = [], ...rows] = csvParseRows(text.replace(/^\uFEFF/, ''));
  const column = (name: string) => header.findIndex((field) => field.trim() === name);
  const [question, state, value, category, stratum] = [
    'Question',
    'LocationDesc',
    'Data_Value',
    'StratificationCategory1',
    'Stratification1',
  ].map(column) as [number, number, number, number, number];
  const out: NaiveRow[] = [];
  for (const row of rows) {
    const raw = (row[value] ?? '').trim();
    if (!row[question] || !row[state] || !DECIMAL.test(raw) || !Number.isFinite(Number(raw))) continue;
    out.push({
      question: row[question],
      state: row[state],
      value: Number(raw),
      category: row[category] ?? '',
      stratum: row[stratum] ?? '',
    });
  }
  return out;
}

// Sample names are ASCII, where UTF-16 order is code-point order.
const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function meanOf(rows: NaiveRow[], keep: (row: NaiveRow) => boolean): number {
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    if (!keep(row)) continue;
    sum += row.value;
    count++;
  }
  return sum / count;
}

function meansBy(rows: NaiveRow[], keep: (row: NaiveRow) => boolean, key: (row: NaiveRow) => string) {
  const groups = new Map<string, { sum: number; count: number }>();
  for (const row of rows) {
    if (!keep(row)) continue;
    const group = groups.get(key(row)) ?? { sum: 0, count: 0 };
    group.sum += row.value;
    group.count++;
    groups.set(key(row), group);
  }
  return [...groups].map(([name, { sum, count }]) => ({ name, mean: sum / count }));
}

function statesByMean(rows: NaiveRow[], question: string, descending = false) {
  const sign = descending ? -1 : 1;
  return meansBy(
    rows,
    (row) => row.question === question,
    (row) => row.state,
  ).sort((a, b) => sign * (a.mean - b.mean) || byText(a.name, b.name));
}

const tupleKey = (parts: string[]) => `(${parts.map(pythonStringRepr).join(', ')})`;

function byCategory(rows: NaiveRow[], keep: (row: NaiveRow) => boolean, withState: boolean): Record<string, number> {
  const counted = (row: NaiveRow) => keep(row) && row.category !== '' && row.stratum !== '';
  const parts = (row: NaiveRow) => (withState ? [row.state] : []).concat(row.category, row.stratum);
  const groups = meansBy(rows, counted, (row) => JSON.stringify(parts(row)));
  const sorted = groups
    .map(({ name, mean }) => ({ parts: JSON.parse(name) as string[], mean }))
    .sort((a, b) => a.parts.reduce((order, part, i) => order || byText(part, b.parts[i] as string), 0));
  return Object.fromEntries(sorted.map(({ parts: key, mean }) => [tupleKey(key), mean]));
}

const bestIsMax = new Set(DEFAULT_RANKING.bestIsMax);

/** Answers one query by scanning every row. */
export function naiveQuery(rows: NaiveRow[], name: QueryName, question: string, state: string): unknown {
  const ofQuestion = (row: NaiveRow) => row.question === question;
  const ofState = (row: NaiveRow) => row.question === question && row.state === state;
  const entries = (list: Array<{ name: string; mean: number }>) =>
    Object.fromEntries(list.map((s) => [s.name, s.mean]));
  switch (name) {
    case 'states_mean':
      return entries(statesByMean(rows, question));
    case 'state_mean':
      return { [state]: meanOf(rows, ofState) };
    case 'best5':
      return entries(statesByMean(rows, question, bestIsMax.has(question)).slice(0, 5));
    case 'worst5':
      return entries(statesByMean(rows, question, !bestIsMax.has(question)).slice(0, 5));
    case 'global_mean':
      return { global_mean: meanOf(rows, ofQuestion) };
    case 'diff_from_mean': {
      const global = meanOf(rows, ofQuestion);
      return entries(statesByMean(rows, question).map((s) => ({ name: s.name, mean: global - s.mean })));
    }
    case 'state_diff_from_mean':
      return { [state]: meanOf(rows, ofQuestion) - meanOf(rows, ofState) };
    case 'mean_by_category':
      return byCategory(rows, ofQuestion, true);
    case 'state_mean_by_category':
      return { [state]: byCategory(rows, ofState, false) };
  }
}

/** Whether two answers have the same keys in the same order and values within `1e-9` relative. */
export function sameAnswer(a: unknown, b: unknown): boolean {
  if (typeof a === 'number' && typeof b === 'number') return Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a));
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const left = Object.entries(a);
  const right = Object.entries(b);
  return (
    left.length === right.length &&
    left.every(([key, value], i) => right[i]?.[0] === key && sameAnswer(value, right[i]?.[1]))
  );
}
