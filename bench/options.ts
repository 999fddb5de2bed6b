import { isScenarioName, SCENARIO_NAMES, type ScenarioName } from './scenarios';

/** What `npm run bench` was asked for, from argv or the environment. */
export interface BenchOptions {
  /** `--quick` or BENCH_QUICK=1: small sizes, for a smoke test of the harness. */
  quick: boolean;
  /** `--only=a,b` or BENCH_ONLY=a,b: the scenarios to run, in run order (default all). */
  only: ScenarioName[];
}

const USAGE = `usage: npm run bench -- [--quick] [--only=${SCENARIO_NAMES.join(',')}]`;

function scenarioList(list: string): ScenarioName[] {
  const names = list.split(',').map((name) => name.trim());
  const unknown = names.filter((name) => !isScenarioName(name));
  if (unknown.length > 0) throw new Error(`unknown scenario ${JSON.stringify(unknown[0])}\n${USAGE}`);
  return SCENARIO_NAMES.filter((name) => names.includes(name));
}

/** Reads the options; throws with the usage line on anything it does not know. */
export function parseOptions(argv: readonly string[], env: NodeJS.ProcessEnv): BenchOptions {
  let quick = env.BENCH_QUICK === '1';
  let only = env.BENCH_ONLY ? scenarioList(env.BENCH_ONLY) : SCENARIO_NAMES;
  for (const arg of argv) {
    if (arg === '--quick') quick = true;
    else if (arg.startsWith('--only=')) only = scenarioList(arg.slice('--only='.length));
    else throw new Error(`unknown argument ${JSON.stringify(arg)}\n${USAGE}`);
  }
  return { quick, only };
}
