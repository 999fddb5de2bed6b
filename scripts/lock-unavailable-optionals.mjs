// Adds placeholder lockfile entries for optional dependencies the registry does not serve.
//
// The registry these machines use answers 404 for other platforms' binary packages
// (@esbuild/darwin-x64, @biomejs/cli-win32-x64, …), so `npm install` leaves them out of
// package-lock.json, and `npm ci` then refuses the lockfile as out of sync (npm/cli#9846).
// A placeholder (name, version, optional) satisfies that check; `npm ci` still installs only
// what this platform needs. Run after any `npm install` that rewrites the lockfile.
import { readFileSync, writeFileSync } from 'node:fs';

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const packages = lock.packages;

// Where Node would find `name` from the package at `from`: its own node_modules, then each parent's.
function resolved(from, name) {
  for (let dir = from; ; dir = dir.slice(0, Math.max(0, dir.lastIndexOf('/node_modules/')))) {
    const key = `${dir ? `${dir}/` : ''}node_modules/${name}`;
    if (packages[key]) return key;
    if (!dir) return undefined;
  }
}

let added = 0;
for (const [from, entry] of Object.entries(packages)) {
  for (const [name, version] of Object.entries(entry.optionalDependencies ?? {})) {
    if (resolved(from, name)) continue;
    const hoisted = `node_modules/${name}`;
    const key = packages[hoisted] ? `${from}/node_modules/${name}` : hoisted;
    packages[key] = { version, ...(entry.dev ? { dev: true } : {}), optional: true };
    added++;
  }
}
writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
console.log(`package-lock.json: ${added} placeholder(s) for optional packages the registry does not serve`);
