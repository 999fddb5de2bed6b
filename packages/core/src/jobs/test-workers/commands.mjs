import { block, exhaustMemory, onBoard } from './board.mjs';

// A worker for WorkerPool tests: each task is a command.
export default onBoard((command) => {
  switch (command.op) {
    case 'echo':
      return command.value;
    case 'sleep':
      block(command.ms);
      return command.value;
    case 'throw':
      throw new Error(command.message);
    case 'exit':
      block(command.afterMs ?? 0);
      return process.exit(1);
    case 'oom':
      return exhaustMemory();
    default:
      throw new Error(`unknown command ${JSON.stringify(command)}`);
  }
});
