import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = join(import.meta.dirname, '..');

// Each example runs the way the README says: tsx on the file, from the repository root.
async function example(name: string, ...args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', join('examples', name), ...args], {
    cwd: root,
    timeout: 60_000,
  });
  return stdout;
}

describe('examples', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'lestats-examples-'));
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('notebook.ts prints the questions and a best-five table', async () => {
    const out = await example('notebook.ts');
    expect(out).toContain('Source: sample — 17704 of 18000 rows kept');
    expect(out).toMatch(/'Percent of adults aged 18 years and older who have obesity'\s+│ 'min'\s+│ 55/);
    expect(out).toContain('Best five states (lowest obesity):');
    expect(out).toMatch(/│ 1\s+│ 'Alaska'\s+│ 25\.9 │ -5\.5/);
    expect(out).toContain('National picture: 31.4% on average');
    expect(out).toContain("('Age (years)', '65 or older')");
    // The age table rounds its means as the best-five table does (this one is 43.15 unrounded).
    expect(out).toMatch(/"\('Age \(years\)', '45 - 54'\)"\s+│ 43\.1\s+│/);
  });

  it('batch-jobs.ts runs every query of every question and leaves one file per job', async () => {
    const results = join(dir, 'batch');
    const out = await example('batch-jobs.ts', results);
    expect(out).toContain(`81 of 81 jobs done; results in ${results}`);
    expect(out).toMatch(/^job_id_1: \{"status":"done","data":\{"Alaska":30\.06,/m);
    const files = await readdir(results);
    expect(files).toHaveLength(81);
    expect(files.every((name) => /^job_id_\d+\.json$/.test(name))).toBe(true);
  });

  it('mount-handler.ts serves its own route next to the API', async () => {
    const out = await example('mount-handler.ts');
    expect(out).toContain('GET /hello -> {"hello":"from my own route"}');
    expect(out).toMatch(
      /POST \/api\/global_mean -> job_id_1; .* -> \{"status":"done","data":\{"global_mean":31\.4\d+\}\}/,
    );
  });

  describe('flask-client.ts against a running lestats serve', () => {
    let server: ChildProcess;
    let url: string;

    beforeAll(async () => {
      server = spawn(
        process.execPath,
        [
          'packages/server/dist/cli.js',
          'serve',
          '--port',
          '0',
          '--results-dir',
          join(dir, 'results'),
          '--log-file',
          join(dir, 'web.log'),
        ],
        { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
      );
      let output = '';
      url = await new Promise<string>((resolve, reject) => {
        for (const stream of [server.stdout, server.stderr]) {
          stream?.setEncoding('utf8');
          stream?.on('data', (chunk: string) => {
            output += chunk;
            const match = /serving (http:\/\/\S+)/.exec(output);
            if (match) resolve(match[1] as string);
          });
        }
        server.once('exit', (code) => reject(new Error(`lestats serve exited with ${code}: ${output}`)));
      });
    });

    afterAll(async () => {
      if (server.exitCode === null) {
        server.kill('SIGTERM');
        await once(server, 'exit');
      }
    });

    it('submits, polls until done and reads the data, like the original clients', async () => {
      const out = await example('flask-client.ts', url);
      expect(out).toMatch(/^best5: \{\n(\s+'?[A-Za-z ]+'?: [\d.]+,?\n){5}\}/m);
      expect(out).toMatch(/^global_mean: \{ global_mean: 2\d\.\d+ \}$/m);
      expect(out).toMatch(/^state_diff_from_mean \(Ohio\): \{ Ohio: -?\d+\.\d+ \}$/m);
      expect(out).toContain(`bad input: { status: 'error', reason: '"state" is required and must be a string' }`);
      expect(out).toContain('jobs so far: 3');
    });
  });
});
