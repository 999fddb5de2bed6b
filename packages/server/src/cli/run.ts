import { LeStatsDataError, LeStatsInputError, LeStatsRunnerError } from '@lestats/core';
import { CommanderError } from 'commander';
import { LeStatsLogError } from '../log/log-error';
import type { LeStatsServer } from '../serve';
import type { CliIo } from './io';
import { buildProgram, type ServeHandler } from './program';

/** How a CLI run ended: with an exit status, or with a server left running. */
export type CliOutcome = { exitCode: number } | { server: LeStatsServer; exitOnDrain: boolean };

/** Exit status for bad flags, unreadable or invalid data, bad query input, and a store or log that cannot be opened. */
const USAGE_ERROR = 2;

const oneLine = (message: string) => `lestats: ${message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ')}\n`;

// Help and version exit 0; a bare `lestats` prints help on stderr like a usage error.
function exitCodeOf(error: unknown, io: CliIo): number {
  if (error instanceof CommanderError) {
    if (error.exitCode === 0) return 0;
    if (error.code !== 'commander.help') io.stderr.write(oneLine(error.message));
    return USAGE_ERROR;
  }
  const message = error instanceof Error ? error.message : String(error);
  io.stderr.write(oneLine(message));
  const usage =
    error instanceof LeStatsDataError ||
    error instanceof LeStatsInputError ||
    error instanceof LeStatsLogError ||
    (error instanceof LeStatsRunnerError && error.code === 'store_unavailable');
  return usage ? USAGE_ERROR : 1;
}

/**
 * Runs `lestats` with `argv` (the arguments after the program name). Every failure is one
 * line on stderr, never a stack trace: status 2 for bad usage or data, 1 for anything else.
 * A started server is handed to `onServe` before its banner is printed.
 */
export async function runCli(argv: readonly string[], io: CliIo, onServe?: ServeHandler): Promise<CliOutcome> {
  let served: CliOutcome | undefined;
  const program = buildProgram(io, (server, exitOnDrain) => {
    served = { server, exitOnDrain };
    onServe?.(server, exitOnDrain);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return served ?? { exitCode: 0 };
  } catch (error) {
    return { exitCode: exitCodeOf(error, io) };
  }
}
