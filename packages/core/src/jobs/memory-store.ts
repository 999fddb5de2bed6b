import type { ResultStore, StoredOutcome } from './store';

/**
 * A {@link ResultStore} in the heap: for tests, scripts and embedding where results need
 * not outlive the process. Every outcome stays in memory until the store is dropped.
 */
export function memoryStore(): ResultStore {
  const outcomes = new Map<number, StoredOutcome>();
  return {
    async open() {
      return { lastId: 0, finished: [] };
    },
    async save(id, outcome) {
      outcomes.set(id, outcome);
    },
    async read(id) {
      return outcomes.get(id);
    },
    async close() {},
  };
}
