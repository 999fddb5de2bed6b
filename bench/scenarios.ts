import type { Scenario } from './scenario';

// Loaded lazily: bench/run.ts reads the names without importing @lestats/* itself.
const load = <K extends string>(module: Promise<Record<K, Scenario>>, name: K) => module.then((m) => m[name]);

/** Every scenario, in the order `npm run bench` runs them. */
export const SCENARIOS = {
  ingest: () => load(import('./ingest'), 'ingest'),
  queries: () => load(import('./queries'), 'queries'),
  runner: () => load(import('./runner'), 'runner'),
  http: () => load(import('./http'), 'http'),
  redis: () => load(import('./redis'), 'redis'),
} satisfies Record<string, () => Promise<Scenario>>;

/** A scenario's name. */
export type ScenarioName = keyof typeof SCENARIOS;

/** Every scenario name, in run order. */
export const SCENARIO_NAMES = Object.keys(SCENARIOS) as ScenarioName[];

/** Whether `name` names a scenario. */
export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
