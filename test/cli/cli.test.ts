// The real built `lestats` binary, spawned as users run it (`npm test` builds it first).
import { type ChildProcess, type ChildProcessWithoutNullStreams, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { closeSync, existsSync, openSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DataIngestor, sampleCsv } from '@lestats/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import serverPackage from '../../packages/server/package.json';

const CLI = fileURLToPath(new URL('../../packages/server/dist/cli.js', import.meta.url));
const QUESTION = 'Percent of adults aged 18 years and older who have obesity';
// No admin token from the environment running the tests.
const { LESTATS_ADMIN_TOKEN: _token, ...ENV } = process.env;

let dir: string;
let csv: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  dir = await mkdtemp(join(tmpdir(), 'lestats-cli-'));
  csv = join(dir, 'data.csv');
  await writeFile(csv, sampleCsv({ rows: 3000, seed: 5 }));
});
afterEach(() => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function lestats(args: string[], env: NodeJS.ProcessEnv = ENV): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [CLI, ...args],
      { cwd: dir, env, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr });
      },
    );
  });
}

/** `lestats serve` on any free port with one thread, killed after each test. */
function spawnServe(args: string[], env: NodeJS.ProcessEnv = ENV): ChildProcessWithoutNullStreams {
  const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--threads', '1', ...args], { cwd: dir, env });
  children.push(child);
  return child;
}

/** A `lestats serve` child, the URL it printed and its output; `spawned` sees the child before it starts up. */
async function startServe(
  args: string[],
  env: NodeJS.ProcessEnv = ENV,
  spawned?: (child: ChildProcess) => void,
): Promise<{ child: ChildProcess; url: string; stdout: () => string; stderr: () => string }> {
  const child = spawnServe(args, env);
  spawned?.(child);
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const match = /serving (http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
  return { child, url, stdout: () => stdout, stderr: () => stderr };
}

function exited(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.on('exit', (code) => resolve(code));
  });
}

function expectOneLineError(run: Run, pattern: RegExp): void {
  expect(run.code).toBe(2);
  expect(run.stdout).toBe('');
  const lines = run.stderr.split('\n').filter(Boolean);
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^lestats: /);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/\n\s+at /);
}

describe('lestats', () => {
  it('--version prints the package version, through the bin npm links too', async () => {
    const run = await lestats(['--version']);
    expect(run).toEqual({ code: 0, stdout: `${serverPackage.version}\n`, stderr: '' });
    const bin = fileURLToPath(new URL(`../../packages/server/${serverPackage.bin.lestats}`, import.meta.url));
    const viaBin = await new Promise<string>((resolve, reject) => {
      execFile(process.execPath, [bin, '--version'], (error, stdout) => (error ? reject(error) : resolve(stdout)));
    });
    expect(viaBin).toBe(`${serverPackage.version}\n`);
  });

  it('--help lists the subcommands, and each has its own help', async () => {
    const run = await lestats(['--help']);
    expect(run.code).toBe(0);
    for (const command of ['serve', 'query', 'sample']) expect(run.stdout).toContain(command);
    const serve = await lestats(['serve', '--help']);
    for (const flag of [
      '--data',
      '--years',
      '--host',
      '--port',
      '--threads',
      '--results-dir',
      '--log-file',
      '--admin-token',
      '--exit-on-drain',
    ]) {
      expect(serve.stdout).toContain(flag);
    }
  });

  // The full tables of bad flags and data run in-process (src/cli/run.test.ts); these
  // check the binary itself turns them into one line and exit status 2.
  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['serve', '--prot', '80'], /unknown option '--prot'.*--port/],
    [['query', 'nope', '--question', 'x'], /nope/],
  ])('%j: one line on stderr, exit 2', async (args, pattern) => {
    expectOneLineError(await lestats(args), pattern);
  });

  it('reports an unreadable file and an invalid CSV as one line, exit 2, from query and serve', async () => {
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'a,b\n1,2\n');
    expectOneLineError(await lestats(['query', 'global_mean', '--question', QUESTION, '--data', bad]), /Question/);
    expectOneLineError(
      await lestats(['serve', '--port', '0', '--data', join(dir, 'missing.csv')]),
      /cannot read .*missing\.csv/,
    );
  });

  // The log's error class lives in the lazily loaded server code; the exit status must still
  // be the one for a bad flag in the bundle.
  it('reports a log file that cannot be opened as one line, exit 2', async () => {
    const log = join(csv, 'webserver.log');
    const args = ['serve', '--port', '0', '--data', csv, '--results-dir', join(dir, 'log-results'), '--log-file', log];
    expectOneLineError(await lestats(args), /^lestats: cannot open the log .*data\.csv\/webserver\.log: E[A-Z]+: /);
  });
});

describe('lestats query', () => {
  it('prints the result JSON of a file, exactly as the API writes it', async () => {
    const data = await DataIngestor.fromFile(csv);
    const run = await lestats([
      'query',
      'state_mean_by_category',
      '--question',
      QUESTION,
      '--state',
      'Ohio',
      '--data',
      csv,
    ]);
    expect(run).toEqual({
      code: 0,
      stdout: `${data.queryJson('state_mean_by_category', { question: QUESTION, state: 'Ohio' })}\n`,
      stderr: '',
    });
  });

  it('without --data uses the sample and says so loudly on stderr', async () => {
    const run = await lestats(['query', 'best5', '--question', QUESTION]);
    expect(run.code).toBe(0);
    expect(run.stdout).toBe(`${DataIngestor.sample().queryJson('best5', { question: QUESTION })}\n`);
    expect(run.stderr).toMatch(/WARNING.*SYNTHETIC sample.*NOT real CDC data/);
  });
});

describe('lestats sample', () => {
  it('writes the seeded sample CSV to stdout', async () => {
    const run = await lestats(['sample', '--rows', '25', '--seed', '3']);
    expect(run).toEqual({ code: 0, stdout: sampleCsv({ rows: 25, seed: 3 }), stderr: '' });
  });

  it('exits quietly when its reader goes away', async () => {
    const child = spawn(process.execPath, [CLI, 'sample', '--rows', '20000'], { cwd: dir });
    children.push(child);
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.stdout.once('data', () => child.stdout.destroy());
    expect(await exited(child)).toBe(0);
    expect(stderr).toBe('');
  });

  it.runIf(existsSync('/dev/full'))('says in one line, exit 1, when its output cannot be written', async () => {
    const output = openSync('/dev/full', 'w');
    try {
      for (const args of [
        ['sample', '--rows', '200'],
        ['query', 'global_mean', '--data', csv, '--question', QUESTION],
      ]) {
        const child = spawn(process.execPath, [CLI, ...args], { cwd: dir, stdio: ['ignore', output, 'pipe'] });
        children.push(child);
        let stderr = '';
        child.stderr?.on('data', (chunk) => {
          stderr += chunk;
        });
        // 'close', not 'exit': by then stderr has been read to its end.
        expect((await once(child, 'close'))[0], args[0]).toBe(1);
        expect(stderr).toMatch(/^lestats: cannot write the output: ENOSPC: no space left on device, write\n$/);
      }
    } finally {
      closeSync(output);
    }
  });
});

describe('lestats serve', () => {
  it('serves the API, and on SIGTERM drains, persists and exits 0', async () => {
    const resultsDir = join(dir, 'term-results');
    const logFile = join(dir, 'term-logs', 'webserver.log');
    const { child, url, stderr } = await startServe([
      '--data',
      csv,
      '--results-dir',
      resultsDir,
      '--log-file',
      logFile,
    ]);
    const submitted = await fetch(`${url}/api/states_mean`, {
      method: 'POST',
      body: JSON.stringify({ question: QUESTION }),
    });
    const { job_id } = (await submitted.json()) as { job_id: string };
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(stderr()).toMatch(/SIGTERM/);
    expect(stderr()).not.toMatch(/WARNING/);
    expect(await readFile(join(resultsDir, `${job_id}.json`), 'utf8')).toBe(
      (await DataIngestor.fromFile(csv)).queryJson('states_mean', { question: QUESTION }),
    );
    const log = await readFile(logFile, 'utf8');
    expect(log).toContain('"msg":"closed"');
    expect(await readdir(resultsDir)).toEqual([`${job_id}.json`]);
  });

  it('without --data serves the sample and warns; SIGINT also drains and exits 0', async () => {
    const { child, url, stderr } = await startServe([
      '--results-dir',
      join(dir, 'int-results'),
      '--log-file',
      join(dir, 'int.log'),
    ]);
    const health = (await (await fetch(`${url}/api/health`)).json()) as { dataset: { source: string } };
    expect(health.dataset.source).toBe('sample');
    expect(stderr()).toMatch(/WARNING.*SYNTHETIC/);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(0);
  });

  it('--exit-on-drain exits 0 once a graceful shutdown has drained; the admin token can come from the environment', async () => {
    const { child, url } = await startServe(
      [
        '--data',
        csv,
        '--exit-on-drain',
        '--results-dir',
        join(dir, 'drain-results'),
        '--log-file',
        join(dir, 'drain.log'),
      ],
      { ...ENV, LESTATS_ADMIN_TOKEN: 'from-env' },
    );
    expect((await fetch(`${url}/api/graceful_shutdown`)).status).toBe(401);
    const answer = await fetch(`${url}/api/graceful_shutdown`, { headers: { authorization: 'Bearer from-env' } });
    expect(answer.status).toBe(200);
    expect(await exited(child)).toBe(0);
  });

  it('goes on serving when the reader of its stdout goes away, and still drains on SIGTERM', async () => {
    const logFile = join(dir, 'gone-logs', 'webserver.log');
    const child = spawnServe(['--data', csv, '--results-dir', join(dir, 'gone-results'), '--log-file', logFile]);
    // Closed long before the server is up and prints its banner there.
    child.stdout.destroy();
    let url: string | undefined;
    while (url === undefined) {
      expect(child.exitCode).toBeNull();
      const text = await readFile(logFile, 'utf8').catch(() => '');
      url = /"url":"(http:[^"]+)"/.exec(text)?.[1];
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const submitted = await fetch(`${url}/api/global_mean`, {
      method: 'POST',
      body: JSON.stringify({ question: QUESTION }),
    });
    const { job_id } = (await submitted.json()) as { job_id: string };
    const answer = (await (await fetch(`${url}/api/get_results/${job_id}?wait=10000`)).json()) as { status: string };
    expect(answer.status).toBe('done');
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('goes on serving, warnings and all, when the reader of its stderr goes away', async () => {
    // Closed before the server warns there that it serves the synthetic sample.
    const { child, url } = await startServe(['--results-dir', join(dir, 'no-stderr-results')], ENV, (spawned) =>
      spawned.stderr?.destroy(),
    );
    expect((await fetch(`${url}/api/num_jobs`)).status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
  });

  it('--pretty also prints human-readable log lines to stdout', async () => {
    const { child, stdout } = await startServe([
      '--data',
      csv,
      '--pretty',
      '--results-dir',
      join(dir, 'pretty-results'),
      '--log-file',
      join(dir, 'pretty.log'),
    ]);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(stdout()).toMatch(/INFO.*listening/);
    // Printed as the server closes: every line reaches stdout before the exit.
    expect(stdout()).toMatch(/INFO.*closed/);
    // A pipe is no terminal: no colour codes in what a file or another program reads.
    expect(stdout()).not.toContain('\x1b[');
  });

  it('--pretty never stalls requests while nobody reads its stdout, and prints every line in the end', async () => {
    const { child, url, stdout } = await startServe([
      '--data',
      csv,
      '--pretty',
      '--results-dir',
      join(dir, 'pretty-paused-results'),
      '--log-file',
      join(dir, 'pretty-paused.log'),
    ]);
    child.stdout?.pause();
    // Far more lines than a pipe holds (64 KiB): written synchronously, they would block the server.
    for (let i = 0; i < 600; i++) {
      const response = await fetch(`${url}/api/num_jobs`, { signal: AbortSignal.timeout(5_000) });
      expect(response.status).toBe(200);
    }
    child.stdout?.resume();
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    expect(stdout().match(/request end/g)).toHaveLength(600);
    expect(stdout()).toMatch(/INFO.*closed/);
  });

  it('restarts after a SIGKILL on the same results folder: results kept, ids after every one handed out, a clean stop leaves only results', async () => {
    const resultsDir = join(dir, 'killed-results');
    const args = ['--data', csv, '--results-dir', resultsDir, '--log-file', join(dir, 'killed.log')];
    const submit = async (url: string) => {
      const response = await fetch(`${url}/api/states_mean`, {
        method: 'POST',
        body: JSON.stringify({ question: QUESTION }),
      });
      return ((await response.json()) as { job_id: string }).job_id;
    };
    const number = (id: string) => Number(id.slice('job_id_'.length));
    const killed = await startServe(args);
    const before = await Promise.all(Array.from({ length: 200 }, () => submit(killed.url)));
    killed.child.kill('SIGKILL');
    await exited(killed.child);
    // Whichever of them had finished before the kill: their results stay readable.
    const written = (await readdir(resultsDir)).filter((name) => name.endsWith('.json'));

    const restarted = await startServe(args);
    const after = await submit(restarted.url);
    expect(number(after)).toBeGreaterThan(Math.max(...before.map(number)));
    for (const name of written) {
      const answer = await fetch(`${restarted.url}/api/get_results/${name.replace('.json', '')}`);
      expect(await answer.json()).toMatchObject({ status: 'done' });
    }
    restarted.child.kill('SIGTERM');
    expect(await exited(restarted.child)).toBe(0);
    // A clean stop with every job written: the files alone say where ids continue.
    expect(await readdir(resultsDir)).not.toContain('.issued_job_ids');
  });

  it('fails with one line and exit 1 when the port is taken', async () => {
    const { url } = await startServe([
      '--data',
      csv,
      '--results-dir',
      join(dir, 'a-results'),
      '--log-file',
      join(dir, 'a.log'),
    ]);
    const run = await lestats([
      'serve',
      '--data',
      csv,
      '--port',
      new URL(url).port,
      '--results-dir',
      join(dir, 'b-results'),
      '--log-file',
      join(dir, 'b.log'),
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter(Boolean)).toEqual([expect.stringMatching(/^lestats: .*EADDRINUSE/)]);
  });
});
