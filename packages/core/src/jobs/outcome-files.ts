import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredOutcome } from './store';

/** `job_id_N.json` for a result, `job_id_N.error.json` for a failure. */
export function outcomeFile(dir: string, id: number, status: StoredOutcome['status']): string {
  return join(dir, status === 'done' ? `job_id_${id}.json` : `job_id_${id}.error.json`);
}

/** What a file holds: exactly the result, or `{ "reason": … }`. */
const textOf = (outcome: StoredOutcome) =>
  outcome.status === 'done' ? outcome.json : JSON.stringify({ reason: outcome.reason });

/**
 * Where an outcome is written before it is renamed into place: a reader never sees a
 * partial file, and the store's recovery deletes temporary files a crash left behind.
 */
export const temporaryFile = (dir: string, id: number) => join(dir, `.job_id_${id}.${process.pid}.tmp`);

/** Writes one outcome file atomically, without blocking the event loop. */
export async function writeOutcomeFile(dir: string, id: number, outcome: StoredOutcome): Promise<void> {
  const temporary = temporaryFile(dir, id);
  try {
    await writeFile(temporary, textOf(outcome));
    await rename(temporary, outcomeFile(dir, id, outcome.status));
  } catch (error) {
    // A full disk leaves a partial temporary file: gone now, not at the next start.
    await rm(temporary, { force: true }).catch(() => {});
    throw error;
  }
}

/**
 * Writes one outcome file atomically, blocking: for worker threads, which write the jobs
 * they ran right away instead of sending every result to the main thread's I/O pool.
 */
export function writeOutcomeFileSync(dir: string, id: number, outcome: StoredOutcome): void {
  const temporary = temporaryFile(dir, id);
  try {
    writeFileSync(temporary, textOf(outcome));
    renameSync(temporary, outcomeFile(dir, id, outcome.status));
  } catch (error) {
    try {
      rmSync(temporary, { force: true });
    } catch {
      // The write's own error is the one worth reporting.
    }
    throw error;
  }
}
