// The CLI in-process, through runCli with captured output: every flag and data error, and
// each subcommand's output. test/cli spawns the built binary for the process-level parts.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataIngestor, QUERY_NAMES, sampleCsv } from '@lestats/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { LeStatsServer } from '../serve';
import { runCli } from './run';

const QUESTION = 'Percent of adults aged 18 years and older who have obesity';

let dir: string;
let csv: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lestats-run-'));
  csv = join(dir, 'data.csv');
  await writeFile(csv, sampleCsv({ rows: 2000, seed: 9 }));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function run(argv: string[], tty = false) {
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text), isTTY: tty },
  };
  const outcome = await runCli(argv, io);
  return { outcome, stdout: () => stdout, stderr: () => stderr };
}

async function expectUsageError(argv: string[], pattern: RegExp): Promise<void> {
  const { outcome, stdout, stderr } = await run(argv);
  expect(outcome).toEqual({ exitCode: 2 });
  expect(stdout()).toBe('');
  const lines = stderr().split('\n').filter(Boolean);
  expect(lines, stderr()).toHaveLength(1);
  expect(lines[0]).toMatch(/^lestats: /);
  expect(lines[0]).toMatch(pattern);
}

describe('help and version', () => {
  it.each([
    [['--help'], /Commands:[\s\S]*serve[\s\S]*query[\s\S]*sample/],
    [['-h'], /Usage: lestats/],
    [['query', '--help'], new RegExp(QUERY_NAMES.join('[\\s\\S]*'))],
    [['sample', '--help'], /--rows[\s\S]*--seed/],
    [['--version'], /^\d+\.\d+\.\d+\n$/],
  ])('%j prints to stdout and exits 0', async (argv, pattern) => {
    const { outcome, stdout, stderr } = await run(argv);
    expect(outcome).toEqual({ exitCode: 0 });
    expect(stdout()).toMatch(pattern);
    expect(stderr()).toBe('');
  });

  it("shows serve's documented defaults, which are the values it uses", async () => {
    const { stdout } = await run(['serve', '--help']);
    expect(stdout()).toMatch(/--host <host> [\s\S]*?\(default: "127\.0\.0\.1"\)/);
    expect(stdout()).toMatch(/--port <port> [\s\S]*?\(default: 5000\)/);
    expect(stdout()).toMatch(/--log-file <file> [\s\S]*?\(default: "webserver\.log"\)/);
  });

  it('shows help on stderr and exits 2 without a command', async () => {
    const { outcome, stdout, stderr } = await run([]);
    expect(outcome).toEqual({ exitCode: 2 });
    expect(stdout()).toBe('');
    expect(stderr()).toMatch(/Usage: lestats/);
    // The help alone, as --help prints it: no error line about it.
    expect(stderr()).toBe((await run(['--help'])).stdout());
  });
});

describe('bad flags: one line, exit 2', () => {
  it.each([
    [['--bogus'], /unknown option '--bogus'/],
    [['frobnicate'], /unknown command 'frobnicate'/],
    [['serve', '--prot', '80'], /unknown option '--prot' \(Did you mean --port\?\)/],
    [['serve', '--port', 'abc'], /--port.*'abc'.*whole number from 0 to 65535/],
    [['serve', '--port', '70000'], /--port/],
    [['serve', '--port', '1.5'], /--port/],
    [['serve', '--threads', '0'], /--threads/],
    [['serve', '--threads', '1025'], /--threads.*from 1 to 1024, got 1025/],
    [['serve', '--host', ''], /--host.*host name or an IP address/],
    [['query', 'global_mean', '--question', 'x', '--data', ''], /--data.*path of a CSV file/],
    [['serve', '--years', '2020'], /--years.*FROM-TO/],
    [['serve', '--years', '2022-2011'], /--years/],
    [['query', 'global_mean', '--question', 'x', '--years', '2011-2022x'], /--years.*FROM-TO/],
    [['query', 'global_mean', '--question', 'x', '--years', '12011-2022'], /--years.*FROM-TO/],
    [['serve', '--admin-token', ''], /--admin-token.*visible ASCII characters without spaces/],
    [['serve', '--admin-token', ' '], /--admin-token.*visible ASCII/],
    [['serve', '--admin-token', 'two words'], /--admin-token.*visible ASCII/],
    [['serve', '--admin-token', ' padded'], /--admin-token.*visible ASCII/],
    [['serve', '--admin-token', 'jeton-é'], /--admin-token.*visible ASCII/],
    [['serve', 'extra'], /too many arguments/],
    [['query', 'nope', '--question', 'x'], /'nope'.*Allowed choices/],
    [['query', 'global_mean'], /--question/],
    [['query', '--question', 'x'], /missing required argument 'query'/],
    [
      ['query', 'best5', '--question', 'x', '--state', 'Ohio'],
      /--state is not taken by best5, only by state_mean, state_diff_from_mean, state_mean_by_category/,
    ],
    [['query', 'state_mean', '--question', 'x'], /state_mean needs --state <name>/],
    [['serve', '--log-file', ''], /--log-file.*expected a file name/],
    [['serve', '--results-dir', ' '], /--results-dir.*expected a folder/],
    [['sample', '--rows', '-3'], /--rows.*>= 0/],
    [['sample', '--seed', 'x'], /--seed/],
  ])('%j', async (argv, pattern) => {
    await expectUsageError(argv, pattern);
  });

  it.each(['0', 'two', '5000'])('TP_NUM_OF_THREADS=%j, before any data is read', async (value) => {
    vi.stubEnv('TP_NUM_OF_THREADS', value);
    try {
      await expectUsageError(
        ['serve', '--data', join(dir, 'missing.csv')],
        new RegExp(`TP_NUM_OF_THREADS must be a whole number from 1 to 1024, got "${value}"`),
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('bad data: one line, exit 2', () => {
  const cases: Array<[string, () => Promise<string>, RegExp]> = [
    ['a missing file', async () => join(dir, 'missing.csv'), /cannot read .*missing\.csv: ENOENT/],
    ['a folder', async () => dir, /cannot read/],
    ['an empty file', () => write('empty.csv', ''), /empty/],
    ['a CSV without the needed columns', () => write('columns.csv', 'a,b\n1,2\n'), /Question.*LocationDesc/],
  ];
  it.each(cases)('%s, from query and from serve', async (_what, path, pattern) => {
    const file = await path();
    await expectUsageError(['query', 'global_mean', '--question', QUESTION, '--data', file], pattern);
    await expectUsageError(['serve', '--port', '0', '--data', file], pattern);
  });

  it('bad query input', async () => {
    await expectUsageError(
      ['query', 'state_mean', '--question', QUESTION, '--state', 'Atlantis', '--data', csv],
      /no data for state "Atlantis"/,
    );
    await expectUsageError(['query', 'best5', '--question', 'nope', '--data', csv], /unknown question/);
  });

  it('a results folder that is a file', async () => {
    const file = await write('not-a-folder', '');
    await expectUsageError(
      ['serve', '--port', '0', '--data', csv, '--results-dir', file, '--log-file', join(dir, 'not-a-folder.log')],
      /^lestats: store unavailable: results folder .*not-a-folder: EEXIST/,
    );
  });

  it('a log file that cannot be opened, and a folder given as the log', async () => {
    const file = await write('not-a-log-folder', '');
    const results = join(dir, 'log-results');
    await expectUsageError(
      ['serve', '--port', '0', '--data', csv, '--results-dir', results, '--log-file', join(file, 'webserver.log')],
      /^lestats: cannot open the log .*not-a-log-folder\/webserver\.log: E[A-Z]+: /,
    );
    await expectUsageError(
      ['serve', '--port', '0', '--data', csv, '--results-dir', results, '--log-file', dir],
      /^lestats: the log .* is a folder$/,
    );
  });
});

async function write(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

describe('query and sample', () => {
  it.each([
    [2012, 2016],
    [2014, 2014],
  ])('query prints the result JSON of the data, with --years %i-%i applied', async (from, to) => {
    const data = await DataIngestor.fromFile(csv, { years: [from, to] });
    const { outcome, stdout, stderr } = await run([
      'query',
      'mean_by_category',
      '--question',
      QUESTION,
      '--data',
      csv,
      '--years',
      `${from}-${to}`,
    ]);
    expect(outcome).toEqual({ exitCode: 0 });
    expect(stdout()).toBe(`${data.queryJson('mean_by_category', { question: QUESTION })}\n`);
    expect(stderr()).toBe('');
  });

  it('query without --data applies --years to the sample', async () => {
    const { outcome, stdout } = await run(['query', 'global_mean', '--question', QUESTION, '--years', '2014-2015']);
    expect(outcome).toEqual({ exitCode: 0 });
    const windowed = DataIngestor.sample({ years: [2014, 2015] }).queryJson('global_mean', { question: QUESTION });
    // The window must change the answer for this check to mean anything.
    expect(windowed).not.toBe(DataIngestor.sample().queryJson('global_mean', { question: QUESTION }));
    expect(stdout()).toBe(`${windowed}\n`);
  });

  it('query without --data uses the sample and warns once', async () => {
    const { stdout, stderr } = await run(['query', 'state_mean', '--question', QUESTION, '--state', 'Guam']);
    expect(stdout()).toBe(`${DataIngestor.sample().queryJson('state_mean', { question: QUESTION, state: 'Guam' })}\n`);
    expect(stderr().match(/WARNING/g)).toHaveLength(1);
    expect(stderr()).toMatch(/SYNTHETIC sample.*NOT real CDC data.*hn4x-zwk7/);
  });

  it('shows reading progress on a terminal only, and clears it', async () => {
    const tty = await run(['query', 'global_mean', '--question', QUESTION, '--data', csv], true);
    const clearLine = '\r\u001b[K';
    expect(tty.stderr().endsWith(clearLine)).toBe(true);
    expect(tty.stderr().slice(0, -clearLine.length)).toMatch(/^\rreading .*data\.csv: 100% \(\d+\.\d of \d+\.\d MB\)$/);
    const piped = await run(['query', 'global_mean', '--question', QUESTION, '--data', csv], false);
    expect(piped.stderr()).toBe('');
    expect(tty.stdout()).toBe(piped.stdout());
  });

  it('sample writes the seeded CSV', async () => {
    const { outcome, stdout } = await run(['sample', '--rows', '40', '--seed', '-4']);
    expect(outcome).toEqual({ exitCode: 0 });
    expect(stdout()).toBe(sampleCsv({ rows: 40, seed: -4 }));
    expect((await run(['sample'])).stdout()).toBe(sampleCsv());
  });

  it('sample waits for a slow reader to drain before writing more', async () => {
    const written: string[] = [];
    let waiting = 0;
    const stdout = {
      write(text: string) {
        written.push(text);
        return false;
      },
      once(_event: 'drain', listener: () => void) {
        waiting++;
        // The reader catches up only later: nothing more may be written meanwhile.
        const count = written.length;
        setTimeout(() => {
          expect(written).toHaveLength(count);
          listener();
        }, 5);
      },
    };
    const outcome = await runCli(['sample', '--rows', '25000', '--seed', '2'], { stdout, stderr: { write: () => {} } });
    expect(outcome).toEqual({ exitCode: 0 });
    expect(written.join('')).toBe(sampleCsv({ rows: 25_000, seed: 2 }));
    expect(waiting).toBe(written.length);
  });
});

describe('serve', () => {
  it('hands the server over before printing its banner', async () => {
    let stdout = '';
    let seen: string | undefined;
    let handed: LeStatsServer | undefined;
    const outcome = await runCli(
      [
        'serve',
        '--port',
        '0',
        '--threads',
        '1',
        '--data',
        csv,
        '--results-dir',
        join(dir, 'results'),
        '--log-file',
        join(dir, 'logs', 'web.log'),
      ],
      { stdout: { write: (text: string) => (stdout += text) }, stderr: { write: () => true } },
      (server, exitOnDrain) => {
        seen = stdout;
        handed = server;
        expect(exitOnDrain).toBe(false);
      },
    );
    expect(seen).toBe('');
    expect(outcome).toEqual({ server: handed, exitOnDrain: false });
    const server = handed as LeStatsServer;
    try {
      // Without --host, only this machine can connect.
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(stdout).toBe(
        `lestats: serving ${server.url} (data: ${csv}, 2000 rows, ${(await DataIngestor.fromFile(csv)).report.kept} kept; results in ${server.results}; log in ${join(dir, 'logs', 'web.log')})\n`,
      );
      expect((await fetch(`${server.url}/api/num_jobs`)).status).toBe(200);
      const busy = await run([
        'serve',
        '--port',
        String(server.port),
        '--data',
        csv,
        '--results-dir',
        join(dir, 'other'),
        '--log-file',
        join(dir, 'other.log'),
      ]);
      expect(busy.outcome).toEqual({ exitCode: 1 });
      expect(busy.stderr()).toMatch(/^lestats: .*EADDRINUSE.*\n$/);
    } finally {
      await server.close();
    }
  });
});
