// Packs both packages, installs the tarballs into an empty project and uses them the way
// a consumer would: ESM import, CJS require, the installed `lestats` binary, and the
// publint / arethetypeswrong checks on the tarballs. Run after `npm run build`.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const work = mkdtempSync(join(tmpdir(), 'lestats-pack-'));
const bin = (name) => join(root, 'node_modules', '.bin', name);
const run = (command, args, cwd = work) =>
  execFileSync(command, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });

try {
  const tarballs = ['core', 'server'].map((name) => {
    const [{ filename }] = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', work], join(root, 'packages', name)),
    );
    return join(work, filename);
  });
  for (const tarball of tarballs) {
    run(bin('publint'), [tarball, '--strict']);
    run(bin('attw'), [tarball, '--profile', 'node16', '--format', 'table-flipped']);
  }

  const app = join(work, 'app');
  run('mkdir', ['-p', app]);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'app', private: true, type: 'module' }));
  run('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], app);

  const probe = `
    const data = core.DataIngestor.sample({ rows: 3000 });
    const runner = new core.JobRunner({ data, threads: 1 });
    const q = data.questions()[0].question;
    const id = await runner.submit('global_mean', { question: q });
    const outcome = await runner.wait(id);
    await runner.shutdown();
    if (outcome.status !== 'done' || typeof server.createHandler !== 'function') throw new Error('bad outcome');
    const handler = server.createHandler({ data, runner: new core.JobRunner({ data, threads: 1 }) });
    const res = await handler(new Request('http://x/api/num_jobs'));
    console.log(kind, id, JSON.stringify(outcome), res.status);
    process.exit(0);`;
  writeFileSync(
    join(app, 'esm.mjs'),
    `const kind = 'esm'; const core = await import('@lestats/core'); const server = await import('@lestats/server');${probe}`,
  );
  writeFileSync(
    join(app, 'cjs.cjs'),
    `(async () => { const kind = 'cjs'; const core = require('@lestats/core'); const server = require('@lestats/server');${probe} })().catch((e) => { console.error(e); process.exit(1); });`,
  );
  process.stdout.write(run('node', ['esm.mjs'], app));
  process.stdout.write(run('node', ['cjs.cjs'], app));
  process.stdout.write(
    run(
      join(app, 'node_modules', '.bin', 'lestats'),
      ['query', 'global_mean', '--question', 'Percent of adults aged 18 years and older who have obesity'],
      app,
    ),
  );
  process.stdout.write(`${run(join(app, 'node_modules', '.bin', 'lestats'), ['--version'], app)}`);
  console.log('packaging checks passed');
} finally {
  rmSync(work, { recursive: true, force: true });
}
