import type { ColumnPositions } from './columns';
import { locateColumns } from './columns';
import { parseDecimal } from './decimal';
import { Dictionary } from './dictionary';
import { emptyReport, type IngestReport } from './report';

/** An inclusive year window: a row counts when `from <= YearStart` and `YearEnd <= to`. */
export type YearWindow = readonly [from: number, to: number];

/**
 * The counted rows, one typed array per used column; text columns are dictionary codes
 * into the matching `dictionaries` entry.
 */
export interface Columns {
  length: number;
  question: Uint32Array;
  state: Uint32Array;
  category: Uint32Array;
  stratum: Uint32Array;
  value: Float64Array;
  dictionaries: {
    questions: readonly string[];
    states: readonly string[];
    categories: readonly string[];
    strata: readonly string[];
  };
}

const INITIAL_CAPACITY = 1 << 14;

function grown<T extends Uint32Array | Float64Array>(array: T, capacity: number): T {
  const next = new (array.constructor as new (n: number) => T)(capacity);
  next.set(array);
  return next;
}

/**
 * Turns parsed CSV rows into {@link Columns}, applying the row rules (SPEC 2.2) and
 * counting skipped rows by reason. The first row given is the header.
 */
export class ColumnsBuilder {
  readonly report: IngestReport = emptyReport();
  readonly #years: YearWindow | undefined;
  #positions: ColumnPositions | undefined;
  #length = 0;
  #question = new Uint32Array(INITIAL_CAPACITY);
  #state = new Uint32Array(INITIAL_CAPACITY);
  #category = new Uint32Array(INITIAL_CAPACITY);
  #stratum = new Uint32Array(INITIAL_CAPACITY);
  #value = new Float64Array(INITIAL_CAPACITY);
  readonly #questions = new Dictionary();
  readonly #states = new Dictionary();
  readonly #categories = new Dictionary();
  readonly #strata = new Dictionary();

  constructor(years?: YearWindow) {
    this.#years = years;
  }

  /** Whether the header row has been seen. */
  get hasHeader(): boolean {
    return this.#positions !== undefined;
  }

  /** Takes one parsed row: the header first, then data rows. */
  readonly addRow = (row: string[]): void => {
    const at = this.#positions;
    if (at === undefined) {
      this.#positions = locateColumns(row);
      return;
    }
    const { report } = this;
    report.rows++;
    const question = row[at.Question] ?? '';
    if (question === '') {
      report.skipped.emptyQuestion++;
      return;
    }
    const state = row[at.LocationDesc] ?? '';
    if (state === '') {
      report.skipped.emptyLocation++;
      return;
    }
    const value = parseDecimal(row[at.Data_Value]);
    if (value === undefined) {
      report.skipped.nonNumericValue++;
      return;
    }
    const years = this.#years;
    if (years !== undefined) {
      const start = parseDecimal(row[at.YearStart]);
      const end = parseDecimal(row[at.YearEnd]);
      if (start === undefined || end === undefined || start < years[0] || end > years[1]) {
        report.skipped.outsideYears++;
        return;
      }
    }
    const i = this.#length;
    if (i === this.#value.length) this.#grow(i * 2);
    this.#question[i] = this.#questions.encode(question);
    this.#state[i] = this.#states.encode(state);
    this.#category[i] = this.#categories.encode(row[at.StratificationCategory1] ?? '');
    this.#stratum[i] = this.#strata.encode(row[at.Stratification1] ?? '');
    this.#value[i] = value;
    this.#length = i + 1;
    report.kept++;
  };

  /** The finished columns, trimmed to the rows kept. */
  finish(): Columns {
    const n = this.#length;
    return {
      length: n,
      question: this.#question.slice(0, n),
      state: this.#state.slice(0, n),
      category: this.#category.slice(0, n),
      stratum: this.#stratum.slice(0, n),
      value: this.#value.slice(0, n),
      dictionaries: {
        questions: this.#questions.values,
        states: this.#states.values,
        categories: this.#categories.values,
        strata: this.#strata.values,
      },
    };
  }

  #grow(capacity: number): void {
    this.#question = grown(this.#question, capacity);
    this.#state = grown(this.#state, capacity);
    this.#category = grown(this.#category, capacity);
    this.#stratum = grown(this.#stratum, capacity);
    this.#value = grown(this.#value, capacity);
  }
}
