#!/usr/bin/env node
import { runCli } from './run';

// The reader of stdout went away (e.g. `lestats sample | head`): nothing is left to do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(0);
});

runCli(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr }).then((outcome) => {
  if ('exitCode' in outcome) {
    process.exitCode = outcome.exitCode;
    return;
  }
  const { server, exitOnDrain } = outcome;
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
});
