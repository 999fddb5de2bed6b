// `npm run bench`: runs each scenario in its own Node process and prints a table per scenario,
// then writes every figure to bench/results.json. A process per scenario because (1) the
// scenarios must import the BUILT packages, which needs a tsconfig without the root `paths`
// (bench/tsconfig.json, set before tsx loads), (2) they need --expose-gc, and (3) memory
// and JIT state left by one scenario must not bias the next.
import { fork } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseOptions } from './options';
import type { ScenarioContext, ScenarioResult } from './scenario';
import type { ScenarioName } from './scenarios';
import { formatTable } from './table';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

function runScenario(name: ScenarioName, context: ScenarioContext): Promise<ScenarioResult> {
  return new Promise((resolve, reject) => {
    const child = fork(here('./child.ts'), [name, JSON.stringify(context)], {
      execArgv: ['--expose-gc', '--import', 'tsx'],
      env: { ...process.env, TSX_TSCONFIG_PATH: here('./tsconfig.json') },
    });
    let result: ScenarioResult | undefined;
    child.on('message', (message) => {
      result = message as ScenarioResult;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (result !== undefined && code === 0) resolve(result);
      else reject(new Error(`scenario ${name} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

function threadCount(): number {
  const fromEnv = Number(process.env.TP_NUM_OF_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), process.env);
  const tmpDir = await mkdtemp(join(tmpdir(), 'lestats-bench-'));
  const context: ScenarioContext = { quick: options.quick, tmpDir, threads: threadCount() };
  const scenarios: Record<string, ScenarioResult | { error: string }> = {};
  let failed = false;
  try {
    for (const name of options.only) {
      process.stderr.write(`${name}…\n`);
      try {
        const result = await runScenario(name, context);
        scenarios[name] = result;
        process.stdout.write(`\n${formatTable(result.title, result.metrics)}\n\n`);
      } catch (error) {
        failed = true;
        scenarios[name] = { error: String(error) };
        process.stderr.write(`${error}\n`);
      }
    }
  } finally {
    await rm(tmpDir, { recursive: true, force: true });
  }
  const results = {
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    threads: context.threads,
    quick: options.quick,
    scenarios,
  };
  await writeFile(here('./results.json'), `${JSON.stringify(results, null, 2)}\n`);
  process.stderr.write(`wrote bench/results.json\n`);
  if (failed) process.exitCode = 1;
}

await main();
