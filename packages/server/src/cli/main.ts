#!/usr/bin/env node
import type { LeStatsServer } from '../serve';
import { runCli } from './run';

let serving = false;

// A stderr whose reader went away leaves nowhere to report anything: what it would have
// said is lost, and nothing else.
process.stderr.on('error', () => {});

// The reader of stdout went away (e.g. `lestats sample | head`): nothing is left to do. Any
// other failure (a full disk, /dev/full) means the output is incomplete: one line and exit 1.
// A server goes on serving without stdout: it only carries its banner and `--pretty` copies
// of the log file's lines.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (serving) return;
  if (error.code === 'EPIPE') process.exit(0);
  process.stderr.write(`lestats: cannot write the output: ${error.message}\n`);
  process.exit(1);
});

// SIGINT and SIGTERM drain (every accepted job finishes), then exit 0; so does a drained
// graceful shutdown with --exit-on-drain.
function keepServing(server: LeStatsServer, exitOnDrain: boolean): void {
  serving = true;
  let closing = false;
  const shutDown = () => {
    if (closing) return;
    closing = true;
    server.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`lestats: ${error instanceof Error ? error.message : String(error)}\n`);
        process.exit(1);
      },
    );
  };
  const onSignal = (signal: NodeJS.Signals) => {
    // Repeated signals are common (a terminal and npm both forward Ctrl-C) and change nothing.
    if (!closing) process.stderr.write(`lestats: ${signal}: finishing accepted jobs, then exiting\n`);
    shutDown();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  if (exitOnDrain) server.drained.then(shutDown, shutDown);
}

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }, keepServing).then((outcome) => {
  if ('exitCode' in outcome) process.exitCode = outcome.exitCode;
});
