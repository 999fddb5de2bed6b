#!/usr/bin/env node
// The `lestats` command. npm links a package's bin when it installs it and skips files that do
// not exist yet; dist/ only exists after a build, so the link points at this file instead.
import { existsSync } from 'node:fs';

const cli = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write('lestats: not built yet: run `npm run build` at the repository root first\n');
  process.exit(2);
}
await import(cli.href);
