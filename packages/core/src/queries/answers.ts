import type { StatsIndex } from '../ingest/stats-index';
import { entriesToObject, type ResultEntries, resultToJson } from './json';
import { computeQuery, QUERY_NAMES, type ResolvedQuery } from './table';

function deepFreeze<T extends object>(value: T): T {
  for (const inner of Object.values(value)) if (typeof inner === 'object' && inner !== null) deepFreeze(inner);
  return Object.freeze(value);
}

/**
 * Answers computed once per (query, question, state) and kept: the index never changes,
 * so a second identical question costs a lookup. Bounded by the index's size
 * (queries x cells), never by rows or by how many times a question is asked.
 * Objects are deep-frozen because every caller shares them.
 */
export class AnswerCache {
  readonly #index: StatsIndex;
  readonly #objects = new Map<number, Readonly<Record<string, unknown>>>();
  readonly #texts = new Map<number, string>();

  constructor(index: StatsIndex) {
    this.#index = index;
  }

  #key({ name, question, cell }: ResolvedQuery): number {
    return ((cell + 1) * this.#index.data.questions.length + question) * QUERY_NAMES.length + QUERY_NAMES.indexOf(name);
  }

  #entries(query: ResolvedQuery): ResultEntries {
    return computeQuery(this.#index, query);
  }

  /** The answer as a frozen plain object. */
  object(query: ResolvedQuery): Readonly<Record<string, unknown>> {
    const key = this.#key(query);
    let answer = this.#objects.get(key);
    if (answer === undefined) {
      answer = deepFreeze(entriesToObject(this.#entries(query)));
      this.#objects.set(key, answer);
    }
    return answer;
  }

  /** The answer as JSON text in the SPEC's key order and float format. */
  json(query: ResolvedQuery): string {
    const key = this.#key(query);
    let text = this.#texts.get(key);
    if (text === undefined) {
      text = resultToJson(this.#entries(query));
      this.#texts.set(key, text);
    }
    return text;
  }
}
