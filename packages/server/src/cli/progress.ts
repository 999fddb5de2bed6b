import type { ProgressHandler } from '@lestats/core';
import type { CliIo } from './io';

const MB = 1024 * 1024;

/**
 * A one-line progress display for reading a file, redrawn in place on a terminal. `done`
 * clears the line so the next message starts clean.
 */
export function fileProgress(stderr: CliIo['stderr'], name: string): { update: ProgressHandler; done(): void } {
  let shown = -1;
  return {
    update(bytesRead, totalBytes) {
      const percent = totalBytes > 0 ? Math.floor((bytesRead / totalBytes) * 100) : 100;
      if (percent === shown) return;
      shown = percent;
      stderr.write(
        `\rreading ${name}: ${percent}% (${(bytesRead / MB).toFixed(1)} of ${(totalBytes / MB).toFixed(1)} MB)`,
      );
    },
    done() {
      if (shown >= 0) stderr.write('\r\x1b[K');
    },
  };
}
