#!/usr/bin/env bash
# Prints the path of a Node.js binary of the given major version (20, 22, 24...), fetched once from
# the npm registry's `node-linux-<arch>` package (the official Linux build, as the Node.js project
# publishes it there) into .cache/node<major>/. `npm pack` checks the tarball against the
# registry's sha512 integrity; nothing else is downloaded.
set -euo pipefail
major=${1:?usage: scripts/node-binary.sh <major>}
cd "$(dirname "$0")/.."
arch=$(node -p process.arch)
dir=.cache/node$major
if [ ! -x "$dir/package/bin/node" ]; then
  mkdir -p "$dir"
  tgz=$(npm pack "node-linux-$arch@$major" --pack-destination "$dir" --silent --no-audit --no-fund | tail -1)
  tar -xzf "$dir/$tgz" -C "$dir"
  rm -f "$dir/$tgz"
fi
echo "$PWD/$dir/package/bin/node"
