/** The median of some numbers (the mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** The p-th percentile (0..100) by linear interpolation between the closest ranks. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) throw new RangeError('percentile of no values');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return (sorted[low] as number) + ((sorted[high] as number) - (sorted[low] as number)) * (rank - low);
}

/** How a set of samples spreads: count, 10th, 50th and 90th percentiles. */
export function spread(values: readonly number[]) {
  return { n: values.length, p10: percentile(values, 10), p50: percentile(values, 50), p90: percentile(values, 90) };
}

/** Milliseconds since a `process.hrtime.bigint()` reading. */
export function msSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/** Times one call of `fn`, in milliseconds. */
export async function timeMs(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return msSince(start);
}

/**
 * A full collection before a measurement, so garbage from earlier steps is not charged
 * to it. The scenario processes run with --expose-gc; twice because one pass can leave
 * objects that only die once finalizers ran.
 */
export function collectGarbage(): void {
  globalThis.gc?.();
  globalThis.gc?.();
}

/** Prints a progress line on stderr (tables go to stdout), with the seconds the process has run. */
export function progress(message: string): void {
  process.stderr.write(`  ${(performance.now() / 1000).toFixed(0).padStart(4)}s ${message}\n`);
}

// The library's own seeded generator, from source: the built package does not export it.
export { seededRandom } from '../packages/core/src/ingest/random';
