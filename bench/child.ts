// The entry of one scenario process: runs the scenario named in argv and sends its result
// to bench/run.ts over the IPC channel.
import type { ScenarioContext } from './scenario';
import { isScenarioName, SCENARIOS } from './scenarios';

const [name, contextJson] = process.argv.slice(2);
if (name === undefined || !isScenarioName(name) || contextJson === undefined || process.send === undefined) {
  throw new Error('bench/child.ts is started by bench/run.ts');
}
const scenario = await SCENARIOS[name]();
const result = await scenario(JSON.parse(contextJson) as ScenarioContext);
process.send(result, () => process.exit(0));
