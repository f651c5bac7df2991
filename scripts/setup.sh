#!/usr/bin/env bash
# Installs everything the build and the tests need on a fresh Debian 12 machine, as root, and builds.
# Safe to run again: apt-get and npm skip what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

[ "$(id -u)" = 0 ] || { echo "setup: run as root (it installs Debian packages)" >&2; exit 1; }

packages=(
	lxc lxc-dev busybox-static   # LXC 5.0.2, liblxc headers for the helper, busybox for test containers
	build-essential pkg-config   # the helper is built with the system compiler
	clang-14                     # clang --analyze over the helper (test/native)
	tmux bsdutils                # terminal tests (tmux, script)
	strace                       # holds the helper inside a race window on purpose (test/native)
	unzip                        # helm and kubectl come zipped inside an npm package
	openssl                      # self-signed certificates of the agent and the standalone server
	lua5.1                       # the Argo CD health check (deploy/argocd) runs on Argo CD's Lua 5.1 dialect
	chromium                     # the terminal page's tests drive a real headless Chromium (playwright-core)
)
missing=()
for p in "${packages[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
# promtool (metrics checks); --no-install-recommends keeps the server's web assets out.
command -v promtool >/dev/null || missing+=(prometheus)
if [ ${#missing[@]} -gt 0 ]; then
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

npm ci --no-audit --no-fund
scripts/install-tools.sh
