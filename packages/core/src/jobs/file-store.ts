import { mkdir, readdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ResultStore, StoredOutcome } from './store';

const FINISHED = /^job_id_([1-9]\d*)(\.error)?\.json$/;
const TEMPORARY = /^\.job_id_\d+.*\.tmp$/;
// Enough writes in flight to keep the disk busy without exhausting file descriptors.
const MAX_WRITES = 64;

/**
 * A {@link ResultStore} in a folder: `job_id_N.json` holds exactly the result,
 * `job_id_N.error.json` holds `{ "reason": … }`. Each file is written to a temporary
 * name and renamed, so a reader never sees a partial file. Opening recovers the jobs in
 * the folder and removes temporary files left by a crash.
 */
export function fileStore(dir: string): ResultStore {
  const pathOf = (id: number, status: StoredOutcome['status']) =>
    join(dir, status === 'done' ? `job_id_${id}.json` : `job_id_${id}.error.json`);
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
      return withWriteSlot(async () => {
        const path = pathOf(id, outcome.status);
        const temporary = join(dir, `.job_id_${id}.${process.pid}.tmp`);
        const text = outcome.status === 'done' ? outcome.json : JSON.stringify({ reason: outcome.reason });
        await writeFile(temporary, text);
        await rename(temporary, path);
      });
    },

    async read(id) {
      try {
        return { status: 'done', json: await readFile(pathOf(id, 'done'), 'utf8') };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      try {
        const { reason } = JSON.parse(await readFile(pathOf(id, 'error'), 'utf8')) as { reason: unknown };
        return { status: 'error', reason: String(reason) };
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
    },

    async close() {},
  };
}
