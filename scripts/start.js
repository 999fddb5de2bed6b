// `npm start`: builds when a package's dist is missing or older than its sources, then runs
// `lestats serve` (on the built-in sample unless --data is given). Extra arguments are passed
// on: `npm start -- --port 8080 --data brfss.csv`.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const ORPHAN_CHECK_MS = 250;
const at = (...parts) => join(root, ...parts);
const mtime = (path) => statSync(path, { throwIfNoEntry: false })?.mtimeMs;

function newestIn(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, mtime(join(entry.parentPath ?? entry.path, entry.name)) ?? 0);
  }
  return newest;
}

const sources = [
  newestIn(at('packages/core/src')),
  newestIn(at('packages/server/src')),
  ...['tsup.config.ts', 'tsconfig.base.json', 'packages/core/package.json', 'packages/server/package.json'].map(
    (file) => mtime(at(file)) ?? 0,
  ),
];
const outputs = ['packages/core/dist/index.js', 'packages/core/dist/worker.js', 'packages/server/dist/cli.js'].map(
  (file) => mtime(at(file)) ?? 0,
);

if (Math.min(...outputs) < Math.max(...sources)) {
  console.error('lestats: building (dist is missing or older than the sources)…');
  // Under `npm start`, npm_execpath is the running npm's own script: no PATH lookup needed.
  const npm = process.env.npm_execpath;
  const [command, ...prefix] = npm ? [process.execPath, npm] : ['npm'];
  const build = spawnSync(command, [...prefix, 'run', 'build', '--silent'], {
    cwd: root,
    stdio: 'inherit',
    shell: npm === undefined && process.platform === 'win32',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
}

const server = spawn(process.execPath, [at('packages/server/dist/cli.js'), 'serve', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
// The server drains on SIGINT/SIGTERM; a signal sent to this process alone must reach it too.
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
// npm runs this under `sh -c`, which dies of a SIGTERM without passing it on: a supervisor
// stopping `npm start` would leave this process and the server behind. Losing the parent is
// taken as that SIGTERM.
const parent = process.ppid;
const orphaned = setInterval(() => {
  if (process.ppid === parent) return;
  clearInterval(orphaned);
  server.kill('SIGTERM');
}, ORPHAN_CHECK_MS).unref();
server.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 1 : 128)));
