// `npm start`'s script, run the way npm runs it: under `sh -c`, a shell that stays its parent.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lestats-start-'));
});
afterAll(async () => {
  // Whatever a failed test left running carries the folder's name in its arguments.
  spawnSync('pkill', ['-f', dir]);
  await rm(dir, { recursive: true, force: true });
});

async function gone(url: string, withinMs: number): Promise<boolean> {
  for (const deadline = Date.now() + withinMs; Date.now() < deadline; ) {
    try {
      await fetch(`${url}/api/num_jobs`);
    } catch {
      return true;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

describe.skipIf(process.platform === 'win32')('npm start (scripts/start.js)', () => {
  it('serves the sample, and drains and stops when the shell npm ran it in is killed', async () => {
    const logFile = join(dir, 'webserver.log');
    const args = ['--port', '0', '--threads', '1', '--results-dir', join(dir, 'results'), '--log-file', logFile];
    // `; exit $?` keeps the shell from replacing itself with node, as npm's shell does not either.
    const shell = spawn('sh', ['-c', `"${process.execPath}" scripts/start.js ${args.join(' ')}; exit $?`], {
      cwd: ROOT,
    });
    let stdout = '';
    const url = await new Promise<string>((resolve, reject) => {
      shell.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /serving (http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1] as string);
      });
      shell.on('exit', (code) => reject(new Error(`sh exited with ${code}`)));
    });
    expect((await fetch(`${url}/api/num_jobs`)).status).toBe(200);

    // A shell dies of SIGTERM without passing it on; the server must stop all the same.
    shell.kill('SIGTERM');
    expect(await gone(url, 10_000)).toBe(true);
    expect(await readFile(logFile, 'utf8')).toContain('"msg":"closed"');
  });
});
