import { type DataIngestor, QUERY_NAMES, type QueryName } from '@lestats/core';
import { seededRandom } from './measure';
import { paramsOf, type QueryCase, queryCases } from './query-cases';

/** A job to submit: one of the nine queries and its parameters. */
export interface MixedJob {
  name: QueryName;
  params: ReturnType<typeof paramsOf>;
}

/**
 * Draws jobs from a seeded generator: a query uniformly from the nine, then one of the
 * questions (and states) it accepts. Jobs are made on demand, so a long run holds none.
 */
export function mixedJobs(data: DataIngestor, seed: number): () => MixedJob {
  const cases = queryCases(data);
  const random = seededRandom(seed);
  return () => {
    const name = QUERY_NAMES[Math.floor(random() * QUERY_NAMES.length)] as QueryName;
    const list = cases[name];
    return { name, params: paramsOf(name, list[Math.floor(random() * list.length)] as QueryCase) };
  };
}

/** The mean size of a result's JSON text over the job mix, in bytes. */
export function meanResultBytes(data: DataIngestor): number {
  const cases = queryCases(data);
  let total = 0;
  for (const name of QUERY_NAMES) {
    const list = cases[name];
    const bytes = list.reduce((sum, c) => sum + Buffer.byteLength(data.queryJson(name, paramsOf(name, c) as never)), 0);
    total += bytes / list.length / QUERY_NAMES.length;
  }
  return total;
}
