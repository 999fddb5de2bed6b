import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A bench server running in its own process (see bench/servers). */
export interface ServerProcess {
  url: string;
  /** Asks the server to close (ours drains its jobs first) and waits for the process to end. */
  close(): Promise<void>;
}

/**
 * Starts `bench/servers/<name>.ts` in a child process, so the load generator in this
 * process does not share an event loop with the server it measures.
 */
export function startServer(
  name: 'minimal' | 'lestats' | 'unlogged' | 'naive',
  args: string[] = [],
): Promise<ServerProcess> {
  const file = fileURLToPath(new URL(`./servers/${name}.ts`, import.meta.url));
  // The scenario process's environment already points tsx at bench/tsconfig.json.
  const child = fork(file, args, { execArgv: ['--import', 'tsx'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`server ${name} exited with code ${code} before listening`)));
    child.once('message', (message) => {
      resolve({
        url: (message as { url: string }).url,
        close: async () => {
          child.send('close');
          await exited;
        },
      });
    });
  });
}
