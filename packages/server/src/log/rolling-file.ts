import { lstat, rename, symlink, unlink } from 'node:fs/promises';
import { basename } from 'node:path';
import pinoRoll, { type RollingStream } from 'pino-roll';

/** Where and how much to log before rolling over. */
export interface RollingFileOptions {
  /** The log's name, e.g. `webserver.log`; always a link to the file being written. */
  file: string;
  /** Roll over once the current file reaches this many bytes (checked after each write, so soft). */
  maxBytes: number;
  /** Files kept in all, the current one included; older ones are deleted as new ones start. */
  files: number;
}

// pino-roll numbers every file (`webserver.3.log`); the configured name stays a symlink to the
// current one, so `tail -F webserver.log` and tools that expect that exact name keep working.
async function pointAt(link: string, target: string): Promise<void> {
  const existing = await lstat(link).catch(() => undefined);
  // A real file under the log's name belongs to someone else: never replace it.
  if (existing !== undefined && !existing.isSymbolicLink()) return;
  const temporary = `${link}.${process.pid}.link`;
  await unlink(temporary).catch(() => {});
  await symlink(basename(target), temporary);
  await rename(temporary, link);
}

/**
 * A size-rotated log file written asynchronously (SonicBoom via pino-roll): writes never
 * wait for the disk, and rotation, pruning and relinking happen in the background.
 */
export async function openRollingFile({ file, maxBytes, files }: RollingFileOptions): Promise<RollingStream> {
  const stream = await pinoRoll({
    file,
    size: `${maxBytes / 1024}k`,
    limit: { count: files, removeOtherLogFiles: true },
    mkdir: true,
  });
  let linking = Promise.resolve();
  let linked = '';
  const relink = () => {
    if (stream.file === linked) return;
    linked = stream.file;
    // Logging must never take the server down: a failed link (e.g. no symlinks on this
    // file system) leaves the numbered files, which hold every line anyway.
    linking = linking.then(() => pointAt(file, linked)).catch(() => {});
  };
  relink();
  stream.on('ready', relink);
  stream.on('close', () => stream.off('ready', relink));
  return stream;
}
