import { mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { outcomeFile, writeOutcomeFile } from './outcome-files';
import type { ResultStore, StoredOutcome } from './store';

const FINISHED = /^job_id_([1-9]\d*)(\.error)?\.json$/;
const TEMPORARY = /^\.job_id_\d+.*\.tmp$/;
// Enough writes in flight to keep the disk busy without exhausting file descriptors.
const MAX_WRITES = 64;

/**
 * A {@link ResultStore} in a folder: `job_id_N.json` holds exactly the result,
 * `job_id_N.error.json` holds `{ "reason": … }`. Each file is written to a temporary
 * name and renamed, so a reader never sees a partial file. Opening recovers the jobs in
 * the folder and removes temporary files left by a crash. A {@link JobRunner} has its
 * worker threads write these files as they finish each job (see {@link ResultStore.folder}).
 */
export function fileStore(dir: string): ResultStore {
  let active = 0;
  const waiting: Array<() => void> = [];

  async function withWriteSlot<T>(write: () => Promise<T>): Promise<T> {
    if (active >= MAX_WRITES) await new Promise<void>((resolve) => waiting.push(resolve));
    active++;
    try {
      return await write();
    } finally {
      active--;
      waiting.shift()?.();
    }
  }

  return {
    folder: dir,

    async open() {
      await mkdir(dir, { recursive: true });
      const finished: Array<[number, StoredOutcome['status']]> = [];
      let lastId = 0;
      for (const name of await readdir(dir)) {
        if (TEMPORARY.test(name)) {
          await unlink(join(dir, name)).catch(() => {});
          continue;
        }
        const match = FINISHED.exec(name);
        if (match === null) continue;
        const id = Number(match[1]);
        if (!Number.isSafeInteger(id)) continue;
        finished.push([id, match[2] === undefined ? 'done' : 'error']);
        lastId = Math.max(lastId, id);
      }
      return { lastId, finished };
    },

    save(id, outcome) {
      return withWriteSlot(() => writeOutcomeFile(dir, id, outcome));
    },

    async read(id) {
      try {
        return { status: 'done', json: await readFile(outcomeFile(dir, id, 'done'), 'utf8') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      try {
        const { reason } = JSON.parse(await readFile(outcomeFile(dir, id, 'error'), 'utf8')) as { reason: unknown };
        return { status: 'error', reason: String(reason) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async close() {},
  };
}
