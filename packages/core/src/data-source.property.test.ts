import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DataIngestor, type IngestOptions } from './data-source';
import { LeStatsInputError } from './errors';
import { REQUIRED_COLUMNS } from './ingest/columns';
import { QUERY_NAMES, type QueryName } from './queries/table';

// Random data sets, serialised to CSV, ingested, and every query compared with a naive
// row scan written here from the SPEC alone (no library code is reused on this side).

// Characters chosen to hit every escaping and ordering rule: quotes, backslash, CSV
// delimiters, control characters, a non-breaking space, a private-use character that
// sorts after an astral one by UTF-16 but before it by code point, digits for
// integer-like names.
const ALPHABET = [
  'a',
  'Z',
  '0',
  '1',
  ' ',
  "'",
  '"',
  '\\',
  ',',
  '\n',
  '\r',
  '\t',
  '\u00e9',
  '\u{1F600}',
  '\uE000',
  '\u00A0',
  '\u0000',
];

// ---------------------------------------------------------------- the reference

/** Python's repr() of a str, for the characters of ALPHABET only. */
function pyRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  const escapes: Record<string, string> = {
    '\\': '\\\\',
    '\n': '\\n',
    '\r': '\\r',
    '\t': '\\t',
    '\u0000': '\\x00',
    '\u00A0': '\\xa0',
    '\uE000': '\\ue000',
    [quote]: `\\${quote}`,
  };
  return quote + [...text].map((char) => escapes[char] ?? char).join('') + quote;
}

function compareByCodePoint(a: string, b: string): number {
  const x = [...a].map((char) => char.codePointAt(0) as number);
  const y = [...b].map((char) => char.codePointAt(0) as number);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
  return x.length - y.length;
}

function compareTuples(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareByCodePoint(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return 0;
}

interface Row {
  question: string;
  state: string;
  value: Value;
  category: string;
  stratum: string;
  yearStart: string;
  yearEnd: string;
}

type Direction = 'min' | 'max' | undefined;
type Entries = Array<[string, number | Entries]>;
/** An answer, or the code of the input error a query raised. */
type Outcome<T = Entries> = { ok: T } | { error: string };

interface Counted {
  question: string;
  state: string;
  value: number;
  category: string;
  stratum: string;
}

/** The SPEC's row rules, one row at a time. */
function countRows(rows: readonly Row[], years: readonly [number, number] | undefined) {
  const report = {
    rows: rows.length,
    kept: 0,
    skipped: { emptyQuestion: 0, emptyLocation: 0, nonNumericValue: 0, outsideYears: 0 },
  };
  const counted: Counted[] = [];
  for (const row of rows) {
    if (row.question === '') report.skipped.emptyQuestion++;
    else if (row.state === '') report.skipped.emptyLocation++;
    else if (row.value.number === undefined) report.skipped.nonNumericValue++;
    else if (years && !(years[0] <= Number(row.yearStart) && Number(row.yearEnd) <= years[1]))
      report.skipped.outsideYears++;
    else {
      report.kept++;
      counted.push({ ...row, value: row.value.number });
    }
  }
  return { report, counted };
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const value of values) sum += value;
  return sum / values.length;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    groups.set(k, [...(groups.get(k) ?? []), item]);
  }
  return groups;
}

const STATE_QUERIES = new Set<QueryName>(['state_mean', 'state_diff_from_mean', 'state_mean_by_category']);

/** Every query answered by scanning the counted rows, as the SPEC words it. */
function reference(counted: readonly Counted[], directionOf: (question: string) => Direction) {
  return (name: QueryName, params: Record<string, unknown>): Outcome => {
    const { question, state } = params;
    if (typeof question !== 'string') return { error: 'invalid_params' };
    const rows = counted.filter((row) => row.question === question);
    if (rows.length === 0) return { error: 'unknown_question' };
    const direction = directionOf(question);
    if ((name === 'best5' || name === 'worst5') && direction === undefined) return { error: 'no_ranking' };
    const withState = STATE_QUERIES.has(name);
    if (withState && typeof state !== 'string') return { error: 'invalid_params' };
    if (withState && !rows.some((row) => row.state === state)) return { error: 'unknown_state' };

    const global = mean(rows.map((row) => row.value));
    const byState = [...groupBy(rows, (row) => row.state)].map(([s, group]) => ({
      s,
      m: mean(group.map((r) => r.value)),
    }));
    const ascending = byState.slice().sort((a, b) => a.m - b.m || compareByCodePoint(a.s, b.s));
    const descending = byState.slice().sort((a, b) => b.m - a.m || compareByCodePoint(a.s, b.s));
    const stateMean = byState.find((entry) => entry.s === state)?.m as number;
    const categorized = rows.filter((row) => row.category !== '' && row.stratum !== '');
    const groupMeans = (of: readonly Counted[], key: (row: Counted) => string[]) =>
      [...groupBy(of, (row) => JSON.stringify(key(row)))]
        .map(([k, group]) => ({ tuple: JSON.parse(k) as string[], m: mean(group.map((r) => r.value)) }))
        .sort((a, b) => compareTuples(a.tuple, b.tuple))
        .map(({ tuple, m }): [string, number] => [`(${tuple.map(pyRepr).join(', ')})`, m]);

    const entries: Record<QueryName, () => Entries> = {
      states_mean: () => ascending.map(({ s, m }) => [s, m]),
      state_mean: () => [[state as string, stateMean]],
      best5: () => (direction === 'min' ? ascending : descending).slice(0, 5).map(({ s, m }) => [s, m]),
      worst5: () => (direction === 'min' ? descending : ascending).slice(0, 5).map(({ s, m }) => [s, m]),
      global_mean: () => [['global_mean', global]],
      diff_from_mean: () => ascending.map(({ s, m }) => [s, global - m]),
      state_diff_from_mean: () => [[state as string, global - stateMean]],
      mean_by_category: () => groupMeans(categorized, (row) => [row.state, row.category, row.stratum]),
      state_mean_by_category: () => [
        [
          state as string,
          groupMeans(
            categorized.filter((row) => row.state === state),
            (row) => [row.category, row.stratum],
          ),
        ],
      ],
    };
    return { ok: entries[name]() };
  };
}

// ---------------------------------------------------------------- reading the library's JSON text in order

/** Parses a result's JSON text keeping key order (JSON.parse moves integer-like keys first). */
function parseOrdered(text: string): Entries {
  let at = 0;
  const expectChar = (char: string) => {
    if (text[at] !== char) throw new Error(`expected ${char} at ${at} in ${text}`);
    at++;
  };
  const object = (): Entries => {
    const out: Entries = [];
    expectChar('{');
    while (text[at] !== '}') {
      if (out.length > 0) expectChar(',');
      const start = at;
      at++;
      while (text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
      at++;
      const key = JSON.parse(text.slice(start, at)) as string;
      expectChar(':');
      if (text[at] === '{') {
        out.push([key, object()]);
      } else {
        const number = /^-?\d+(?:\.\d+)?(?:e[+-]?\d+)?/.exec(text.slice(at))?.[0] ?? '';
        // A Python client must read a float: the literal needs a fraction or an exponent.
        if (!/[.e]/.test(number)) throw new Error(`not a float literal at ${at} in ${text}`);
        at += number.length;
        out.push([key, Number(number)]);
      }
    }
    expectChar('}');
    return out;
  };
  const entries = object();
  if (at !== text.length) throw new Error(`trailing text at ${at} in ${text}`);
  return entries;
}

/** Where two results differ (keys in order, values to 1e-9 relative), or undefined when they agree. */
function difference(actual: Entries, expected: Entries): string | undefined {
  const keys = JSON.stringify(actual.map(([key]) => key));
  if (keys !== JSON.stringify(expected.map(([key]) => key))) return `keys ${keys}`;
  for (let i = 0; i < actual.length; i++) {
    const [key, value] = actual[i] as [string, number | Entries];
    const wanted = (expected[i] as [string, number | Entries])[1];
    if (typeof wanted === 'number') {
      if (typeof value !== 'number' || !(Math.abs(value - wanted) <= 1e-9 * Math.max(1, Math.abs(wanted)))) {
        return `${JSON.stringify(key)}: ${value} instead of ${wanted}`;
      }
    } else {
      const inner = typeof value === 'number' ? 'a number' : difference(value, wanted);
      if (inner !== undefined) return `${JSON.stringify(key)}: ${inner}`;
    }
  }
  return undefined;
}

/** Object results hold the same pairs; only integer-like keys may have moved. */
function objectEntries(value: unknown): Entries {
  return Object.entries(value as Record<string, unknown>).map(([key, inner]) => [
    key,
    typeof inner === 'number' ? inner : objectEntries(inner),
  ]);
}

function sortedByKey(entries: Entries): Entries {
  return entries
    .map(([key, value]): [string, number | Entries] => [key, typeof value === 'number' ? value : sortedByKey(value)])
    .sort(([a], [b]) => compareByCodePoint(a, b));
}

// ---------------------------------------------------------------- generating data sets

const name = (minLength: number) => fc.string({ unit: fc.constantFrom(...ALPHABET), minLength, maxLength: 5 });

// Each value is generated with what it should read as, so the reference needs no parser.
interface Value {
  text: string;
  number: number | undefined;
}

const numeric: fc.Arbitrary<Value> = fc
  .tuple(fc.integer({ min: -5000, max: 5000 }), fc.constantFrom(0, 1, 2), fc.constantFrom('', ' ', '\t'), fc.boolean())
  .map(([n, digits, pad, exponent]) => {
    const text = (n / 10 ** digits).toFixed(digits);
    return { text: `${pad}${exponent ? `${text}e0` : text}${pad}`, number: n / 10 ** digits };
  });
// Few distinct values, written in different ways, so state means tie often.
const tied: fc.Arbitrary<Value> = fc.constantFrom(
  { text: '1', number: 1 },
  { text: '2', number: 2 },
  { text: ' 2.0 ', number: 2 },
  { text: '+2', number: 2 },
  { text: '.5', number: 0.5 },
  { text: '5e-1', number: 0.5 },
  { text: '-0', number: -0 },
  { text: '1E1', number: 10 },
);
const notNumeric: fc.Arbitrary<Value> = fc
  .constantFrom('', ' ', '~', 'NaN', 'Infinity', '1,5', '0x1A', 'abc', '1e999', '**')
  .map((text) => ({ text, number: undefined }));

const dataSet = fc
  .record({
    questions: fc.uniqueArray(name(1), { minLength: 1, maxLength: 4 }),
    states: fc.uniqueArray(name(1), { minLength: 1, maxLength: 8 }),
    categories: fc.uniqueArray(name(0), { minLength: 1, maxLength: 3 }),
    strata: fc.uniqueArray(name(0), { minLength: 1, maxLength: 3 }),
  })
  .chain((pools) =>
    fc.record({
      pools: fc.constant(pools),
      rows: fc.array(
        fc.record({
          question: fc.oneof(
            { weight: 12, arbitrary: fc.constantFrom(...pools.questions) },
            { weight: 1, arbitrary: fc.constant('') },
          ),
          state: fc.oneof(
            { weight: 12, arbitrary: fc.constantFrom(...pools.states) },
            { weight: 1, arbitrary: fc.constant('') },
          ),
          value: fc.oneof(
            { weight: 4, arbitrary: numeric },
            { weight: 3, arbitrary: tied },
            { weight: 1, arbitrary: notNumeric },
          ),
          category: fc.constantFrom(...pools.categories),
          stratum: fc.constantFrom(...pools.strata),
          yearStart: fc.constantFrom('2011', '2015', '2020', ''),
          yearEnd: fc.constantFrom('2011', '2016', '2022', 'x'),
        }),
        { maxLength: 60 },
      ),
      directions: fc.array(fc.constantFrom<Direction>('min', 'max', undefined), {
        minLength: pools.questions.length,
        maxLength: pools.questions.length,
      }),
      years: fc.option(fc.tuple(fc.integer({ min: 2010, max: 2016 }), fc.integer({ min: 0, max: 8 })), {
        nil: undefined,
      }),
      format: fc.record({
        bom: fc.boolean(),
        lineEnd: fc.constantFrom('\n', '\r\n'),
        trailingNewline: fc.boolean(),
        blankLines: fc.boolean(),
        indexColumn: fc.boolean(),
        quoteEverything: fc.boolean(),
        paddedHeader: fc.boolean(),
        columnOrder: fc.shuffledSubarray([0, 1, 2, 3, 4, 5, 6, 7, 8], { minLength: 9, maxLength: 9 }),
      }),
    }),
  );

type DataSet = typeof dataSet extends fc.Arbitrary<infer T> ? T : never;

/** Plain RFC 4180 writing: quote a field holding a quote, comma or line break (or all, when asked). */
function toCsv({ rows, format }: DataSet): string {
  const quote = (field: string) =>
    format.quoteEverything || /[",\r\n]/.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
  const pad = (column: string) => (format.paddedHeader ? ` ${column}  ` : column);
  // fieldsOf lists a row's fields in this order: the used columns, then two the ingest ignores.
  const header = [...REQUIRED_COLUMNS, 'High_Confidence_Limit ', 'Topic'];
  const fieldsOf = (row: Row) => [
    row.question,
    row.state,
    row.value.text,
    row.category,
    row.stratum,
    row.yearStart,
    row.yearEnd,
    '9.9',
    'T',
  ];
  const line = (fields: string[], index: string) =>
    [...(format.indexColumn ? [index] : []), ...format.columnOrder.map((i) => quote(fields[i] as string))].join(',');
  const lines = [line(header.map(pad), ''), ...rows.map((row, i) => line(fieldsOf(row), String(i)))];
  const body = lines
    .flatMap((text, i) => (format.blankLines && i % 3 === 1 ? ['', text] : [text]))
    .join(format.lineEnd);
  return `${format.bom ? '\uFEFF' : ''}${body}${format.trailingNewline ? format.lineEnd : ''}`;
}

function optionsOf({ pools, directions, years }: DataSet): IngestOptions {
  return {
    years: years && [years[0], years[0] + years[1]],
    ranking: {
      bestIsMin: pools.questions.filter((_, i) => directions[i] === 'min'),
      bestIsMax: pools.questions.filter((_, i) => directions[i] === 'max'),
    },
  };
}

/** The library's answer, or the code of the input error it threw; any other error fails the test. */
function libraryOutcome<T>(run: () => T): Outcome<T> {
  try {
    return { ok: run() };
  } catch (error) {
    if (!(error instanceof LeStatsInputError)) throw error;
    return { error: error.code };
  }
}

function mismatch(got: Outcome, want: Outcome): string | undefined {
  if ('ok' in got && 'ok' in want) return difference(got.ok, want.ok);
  return JSON.stringify(got) === JSON.stringify(want)
    ? undefined
    : `${JSON.stringify(got)} instead of ${JSON.stringify(want)}`;
}

// ---------------------------------------------------------------- the property

describe('DataIngestor against a naive row scan', () => {
  it('answers every query for every question and state exactly like the reference', () => {
    fc.assert(
      fc.property(dataSet, (set) => {
        const options = optionsOf(set);
        const data = DataIngestor.fromString(toCsv(set), options);
        const { report, counted } = countRows(set.rows, options.years);
        expect(data.report).toEqual(report);

        const direction = (question: string): Direction => set.directions[set.pools.questions.indexOf(question)];
        const expected = reference(counted, direction);
        const questions = [...new Set(counted.map((row) => row.question))].sort(compareByCodePoint);
        const states = [...new Set(counted.map((row) => row.state))].sort(compareByCodePoint);
        expect(data.states()).toEqual(states);
        expect(data.questions()).toEqual(
          questions.map((question) => ({
            question,
            best: direction(question) ?? null,
            states: new Set(counted.filter((row) => row.question === question).map((row) => row.state)).size,
          })),
        );

        const askedQuestions = [...set.pools.questions, 'Nope', `${set.pools.questions[0]} `, 42];
        const askedStates = [...set.pools.states, 'Nowhere', `${set.pools.states[0]}\n`, undefined];
        const problems: string[] = [];
        for (const name of QUERY_NAMES) {
          for (const question of askedQuestions) {
            for (const state of STATE_QUERIES.has(name) ? askedStates : [undefined, 'Nowhere']) {
              const params = { question, state } as never;
              const want = expected(name, params);
              const json = libraryOutcome(() => parseOrdered(data.queryJson(name, params)));
              const object = libraryOutcome(() => sortedByKey(objectEntries(data.query(name, params))));
              const wantSorted = 'ok' in want ? { ok: sortedByKey(want.ok) } : want;
              for (const [form, problem] of [
                ['queryJson', mismatch(json, want)],
                ['query', mismatch(object, wantSorted)],
              ]) {
                if (problem !== undefined) problems.push(`${form} ${name} ${JSON.stringify(params)}: ${problem}`);
              }
            }
          }
        }
        expect(problems).toEqual([]);
      }),
      { seed: 0x5eed, numRuns: 120 },
    );
  });

  it('reads a data set from a file exactly as from a string, reporting progress in bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lestats-property-'));
    try {
      let file = 0;
      await fc.assert(
        fc.asyncProperty(dataSet, async (set) => {
          const text = toCsv(set);
          const path = join(dir, `${file++}.csv`);
          await writeFile(path, text);
          const options = optionsOf(set);
          const progress: Array<[number, number]> = [];
          const fromFile = await DataIngestor.fromFile(path, {
            ...options,
            onProgress: (read, total) => progress.push([read, total]),
          });
          const bytes = Buffer.byteLength(text);
          expect(progress).toEqual([[bytes, bytes]]);
          const fromString = DataIngestor.fromString(text, options);
          expect(fromFile.report).toEqual(fromString.report);
          expect(fromFile.questions()).toEqual(fromString.questions());
          expect(fromFile.states()).toEqual(fromString.states());
          const answers = (data: DataIngestor) =>
            fromString
              .questions()
              .flatMap(({ question }) =>
                QUERY_NAMES.flatMap((name) =>
                  fromString
                    .states()
                    .map((state) => libraryOutcome(() => data.queryJson(name, { question, state } as never))),
                ),
              );
          expect(answers(fromFile)).toEqual(answers(fromString));
        }),
        { seed: 0xf11e, numRuns: 40 },
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
