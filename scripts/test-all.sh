#!/usr/bin/env bash
# The test command: sets up a fresh Debian 12 machine (as root), builds, and runs the whole suite
# against real LXC containers. .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec npx mocha "$@"
