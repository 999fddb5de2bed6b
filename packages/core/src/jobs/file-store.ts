import { closeSync, constants, ftruncateSync, openSync, rmSync, writeSync } from 'node:fs';
import { mkdir, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, messageOf } from '../errors';
import { outcomeFile, temporaryFile, writeOutcomeFile } from './outcome-files';
import type { ResultStore, StoredOutcome } from './store';

const FINISHED = /^job_id_([1-9]\d*)(\.error)?\.json$/;
const TEMPORARY = /^\.job_id_\d+.*\.tmp$/;
// Enough writes in flight to keep the disk busy without exhausting file descriptors.
const MAX_WRITES = 64;
// The store's IssuedIds: there only while ids above the highest file may have been handed out.
const ISSUED = '.issued_job_ids';
// Every record the same width, rewritten in place by one small write that a crash cannot tear.
const ISSUED_WIDTH = String(Number.MAX_SAFE_INTEGER).length;

// The number the record holds; 0 when there is none (or it is not one this store wrote).
async function readIssued(file: string): Promise<number> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const upTo = /^ *(\d+)\n$/.exec(text)?.[1];
  return upTo === undefined || !Number.isSafeInteger(Number(upTo)) ? 0 : Number(upTo);
}

// The value of a JSON text, or undefined when it is not JSON (no JSON text parses to undefined).
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// A damaged file is that job's error, told plainly, rather than a broken response or a 500.
const damaged = (id: number, status: StoredOutcome['status'], what: string): StoredOutcome => ({
  status: 'error',
  reason: `damaged file ${outcomeFile('', id, status)}: ${what}`,
});

// Only something put there by hand: the store itself never makes a folder of that name.
const isFolder = (error: unknown) => (error as NodeJS.ErrnoException).code === 'EISDIR';

/**
 * A {@link ResultStore} in a folder: `job_id_N.json` holds exactly the result,
 * `job_id_N.error.json` holds `{ "reason": … }`. Each file is written to a temporary
 * name and renamed, so a reader never sees a partial file. Opening recovers the jobs in
 * the folder and removes temporary files left by a crash; a recovered file that is not what
 * this store writes (not JSON, or no `reason`) reads as that job's error. A {@link JobRunner} has its
 * worker threads write these files as they finish each job (see {@link ResultStore.folder}).
 * While ids may run ahead of the files, `.issued_job_ids` holds how far (see {@link IssuedIds}).
 */
export function fileStore(dir: string): ResultStore {
  // Files of jobs up to this number were in the folder before it was opened: written by an
  // earlier run, but perhaps also by another program or by hand.
  let recoveredUpTo = 0;
  let active = 0;
  const waiting: Array<() => void> = [];
  const issuedFile = join(dir, ISSUED);
  let issued: number | undefined;

  // Not emptied on opening: a crash right then must still leave the last run's record.
  function openIssued(): number {
    const fd = openSync(issuedFile, constants.O_WRONLY | constants.O_CREAT);
    try {
      ftruncateSync(fd, ISSUED_WIDTH + 1);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return fd;
  }

  function closeIssued(): void {
    const fd = issued;
    issued = undefined;
    if (fd !== undefined) closeSync(fd);
  }

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
      const names = await mkdir(dir, { recursive: true })
        .then(() => readdir(dir))
        .then(async (names) => {
          // A folder that can be listed but not written (read-only mount, someone else's)
          // would fail every job: found now, it stops the start instead.
          const probe = temporaryFile(dir, 0);
          await writeFile(probe, '');
          await unlink(probe);
          return names;
        })
        .catch((error: unknown) => {
          throw fail.runner('store_unavailable', `store unavailable: results folder ${dir}: ${messageOf(error)}`);
        });
      // A job with both files (left by hand, or by a crash between two saves) is recovered
      // once, as the result read() gives it.
      const finished = new Map<number, StoredOutcome['status']>();
      let lastId = 0;
      for (const name of names) {
        if (TEMPORARY.test(name)) {
          await unlink(join(dir, name)).catch(() => {});
          continue;
        }
        const match = FINISHED.exec(name);
        if (match === null) continue;
        const id = Number(match[1]);
        if (!Number.isSafeInteger(id)) continue;
        if (match[2] === undefined) finished.set(id, 'done');
        else if (!finished.has(id)) finished.set(id, 'error');
        lastId = Math.max(lastId, id);
      }
      recoveredUpTo = lastId;
      // Ids the last run handed out to jobs that never finished are not handed out again.
      lastId = Math.max(lastId, await readIssued(issuedFile));
      return { lastId, finished };
    },

    issued: {
      record(upTo) {
        issued ??= openIssued();
        writeSync(issued, `${String(upTo).padStart(ISSUED_WIDTH)}\n`, 0);
      },
      clear() {
        closeIssued();
        rmSync(issuedFile, { force: true });
      },
    },

    save(id, outcome) {
      return withWriteSlot(() => writeOutcomeFile(dir, id, outcome));
    },

    async read(id) {
      try {
        const json = await readFile(outcomeFile(dir, id, 'done'), 'utf8');
        // Results are spliced into responses as they are, so a recovered file must be JSON;
        // the ones written since opening are, and are not parsed again on every read.
        return id > recoveredUpTo || parsed(json) !== undefined
          ? { status: 'done', json }
          : damaged(id, 'done', 'not valid JSON');
      } catch (error) {
        if (isFolder(error)) return damaged(id, 'done', 'a folder, not a file');
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      }
      let text: string;
      try {
        text = await readFile(outcomeFile(dir, id, 'error'), 'utf8');
      } catch (error) {
        if (isFolder(error)) return damaged(id, 'error', 'a folder, not a file');
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw error;
      }
      const reason = (parsed(text) as { reason?: unknown } | null | undefined)?.reason;
      return typeof reason === 'string'
        ? { status: 'error', reason }
        : damaged(id, 'error', 'no "reason" string in it');
    },

    async close() {
      closeIssued();
    },
  };
}
