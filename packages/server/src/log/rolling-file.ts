import { once } from 'node:events';
import { lstat, readdir, rename, stat, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import pinoRoll, { type RollingStream } from 'pino-roll';
import { LeStatsLogError } from './log-error';

/** Where and how much to log before rolling over. */
export interface RollingFileOptions {
  /** The log's name, e.g. `webserver.log`; always a link to the file being written. */
  file: string;
  /** Roll over once the current file reaches this many bytes (checked after each write, so soft). */
  maxBytes: number;
  /** Files kept in all, the current one included; older ones are deleted as new ones start. */
  files: number;
}

// Lines kept while the disk fails or falls behind; beyond this they are dropped rather than
// let the heap grow without end.
const MAX_WAITING_BYTES = 16 * 1024 * 1024;

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// pino-roll's naming: `webserver.log` is written as `webserver.<n>.log`; a name without an
// extension (or ending in a dot) gets `.log`, and a one-letter extension is dropped.
function nameParts(file: string): [stem: string, extension: string] {
  const name = basename(file);
  const dot = name.lastIndexOf('.');
  if (dot < 0) return [name, '.log'];
  const extension = name.slice(dot + 1);
  return [name.slice(0, dot), extension === '' ? '.log' : extension.length > 1 ? `.${extension}` : ''];
}

function numberedNames(file: string): RegExp {
  const [stem, extension] = nameParts(file);
  return new RegExp(`^${escapeRegExp(stem)}\\.(\\d+)${escapeRegExp(extension)}$`);
}

// A plain file under the log's name (an earlier log, or an empty file made to receive this
// one) would keep that name from leading to the lines being written. An empty one goes; the
// lines of another are kept as number 0, the oldest file (pino-roll numbers from 1).
async function takeOver(file: string): Promise<void> {
  const existing = await lstat(file).catch(() => undefined);
  if (existing === undefined || !existing.isFile()) return;
  if (existing.size === 0) return unlink(file);
  const [stem, extension] = nameParts(file);
  const oldest = join(dirname(file), `${stem}.0${extension}`);
  // Number 0 taken already: leave both as they are rather than lose either.
  if ((await lstat(oldest).catch(() => undefined)) === undefined) await rename(file, oldest);
}

// The configured name stays a symlink to the current numbered file, so `tail -F webserver.log`
// and tools that expect that exact name keep working.
async function pointAt(link: string, target: string): Promise<void> {
  const existing = await lstat(link).catch(() => undefined);
  // A real file still under the log's name (see takeOver) is never replaced.
  if (existing !== undefined && !existing.isSymbolicLink()) return;
  const temporary = `${link}.${process.pid}.link`;
  await unlink(temporary).catch(() => {});
  await symlink(basename(target), temporary);
  await rename(temporary, link);
}

// Pruned here rather than by pino-roll's own limit, which lists the folder before the new
// file exists and so keeps one file too many, some of the time.
async function prune(file: string, current: string, keep: number): Promise<void> {
  const names = numberedNames(file);
  // Never delete anything if pino-roll names files differently than expected.
  if (!names.test(basename(current))) return;
  const numbered = (await readdir(dirname(file)))
    .map((name) => ({ name, number: Number(names.exec(name)?.[1] ?? Number.NaN) }))
    .filter(({ number }) => !Number.isNaN(number))
    .sort((a, b) => b.number - a.number);
  await Promise.all(numbered.slice(keep).map(({ name }) => unlink(join(dirname(file), name)).catch(() => {})));
}

/** An open rolling log: where to write lines, its stream, and how to close it. */
export interface RollingFile {
  /**
   * Queues a line; the lines of one event-loop turn reach the stream in one write. Never
   * throws (a line the disk refuses is told once as a process warning).
   */
  write(line: string): void;
  /** The SonicBoom stream underneath, to listen to. */
  stream: RollingStream;
  /**
   * Writes the queued lines, closes the file once the disk has them (or has refused them:
   * those are lost) and waits for the relinking and pruning started so far.
   */
  close(): Promise<void>;
}

/**
 * A size-rotated log file written asynchronously (SonicBoom via pino-roll): writes never
 * wait for the disk, and rotation, pruning and relinking happen in the background.
 */
export async function openRollingFile({ file, maxBytes, files }: RollingFileOptions): Promise<RollingFile> {
  // pino-roll reads a size of 0 as "never roll", and keeping 0 files would delete the one being written.
  if (!Number.isSafeInteger(maxBytes) || maxBytes < 1)
    throw new RangeError(`the log's maxBytes must be a whole number >= 1, got ${maxBytes}`);
  if (!Number.isSafeInteger(files) || files < 1)
    throw new RangeError(`the number of log files kept must be a whole number >= 1, got ${files}`);
  // An empty name would resolve to the working folder itself, and the log would go beside it.
  if (file.trim() === '') throw new LeStatsLogError('log_unavailable', 'the log needs a file name');
  // pino-roll would write beside a folder of that name, as `<folder>.1.log`.
  if ((await stat(file).catch(() => undefined))?.isDirectory())
    throw new LeStatsLogError('log_unavailable', `the log ${file} is a folder`);
  // Should that fail, the lines still go to the numbered files.
  await takeOver(file).catch(() => {});
  // Absolute, because pino-roll cuts the extension off the whole path: `.hidden` would leave
  // it no name at all, where `/dir/.hidden` leaves `/dir/` and numbers files `.1.hidden`.
  const stream = await pinoRoll({
    file: resolve(file),
    size: `${maxBytes}b`,
    mkdir: true,
    maxLength: MAX_WAITING_BYTES,
  });
  // A log that cannot be opened at all fails the start, plainly; later failures do not.
  await once(stream, 'ready').catch((error: Error) => {
    stream.destroy();
    throw new LeStatsLogError('log_unavailable', `cannot open the log ${file}: ${error.message}`, { cause: error });
  });
  // Logging must never take the server down. A failed write (a full disk, a folder removed
  // under it) is told once as a process warning, and the next line retries what failed.
  let failing = false;
  const failed = (error: Error) => {
    if (failing) return;
    failing = true;
    process.emitWarning(
      `cannot write the log ${file}: ${error.message}; lines wait, up to ${MAX_WAITING_BYTES / 1024 / 1024} MiB, for it to work again`,
      {
        code: 'LESTATS_LOG_WRITE_FAILED',
      },
    );
  };
  stream.on('error', failed);
  stream.on('write', () => {
    failing = false;
  });
  let housekeeping = Promise.resolve();
  let current = '';
  const onFile = () => {
    if (stream.file === current) return;
    current = stream.file;
    const opened = current;
    // Logging must never take the server down: a failed link (e.g. no symlinks on this file
    // system) or deletion leaves the numbered files, which hold every line anyway.
    housekeeping = housekeeping
      .then(() => pointAt(file, opened))
      .then(() => prune(file, opened, files))
      .catch(() => {});
  };
  onFile();
  stream.on('ready', onFile);
  stream.on('close', () => stream.off('ready', onFile));
  // SonicBoom measures the whole of its waiting buffer again on every write, so under load
  // each line costs as much as all the lines still waiting for the disk: one write per turn
  // of the event loop measures each line once.
  let queued = '';
  const flush = () => {
    if (queued === '') return;
    const chunk = queued;
    queued = '';
    // SonicBoom throws, rather than emits, when a rollover left it without a file.
    try {
      stream.write(chunk);
    } catch (error) {
      failed(error as Error);
    }
  };
  return {
    stream,
    write(line) {
      if (queued === '') setImmediate(flush);
      queued += line;
    },
    async close() {
      flush();
      const closed = once(stream, 'close');
      stream.end();
      // A disk that fails the last lines must not keep the log from closing: they are lost.
      await closed.catch(() => stream.destroy());
      await housekeeping;
    },
  };
}
