#!/usr/bin/env bash
# Standalone mode on this host, from a fresh Debian 12 checkout, as root: installs what it needs,
# builds, makes a demo busybox container, starts the API server with the node agent in the
# background, and runs `kubectl lxc-attach -n demo -- uname -a` through it.
#
#   scripts/quickstart.sh [--no-setup]
#
# Settings (environment): DEMO_CONTAINER (demo), STANDALONE_DIR (/var/lib/lxc-attach-standalone),
# KUBECONFIG (~/.kube/config; other entries are kept). The server keeps running; its pid is in
# $STANDALONE_DIR/standalone.pid and its log in $STANDALONE_DIR/standalone.log.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
container=${DEMO_CONTAINER:-demo}
dir=${STANDALONE_DIR:-/var/lib/lxc-attach-standalone}
export KUBECONFIG=${KUBECONFIG:-$HOME/.kube/config}

[ "${1:-}" = --no-setup ] || scripts/setup.sh

# kubectl lxc-attach finds the plugin on PATH; kubectl itself comes from .tools if none is installed.
mkdir -p "$root/.tools/bin"
ln -sf "$root/dist/kubectl-lxc_attach.mjs" "$root/.tools/bin/kubectl-lxc_attach"
export PATH=$root/.tools/bin:$PATH
command -v kubectl >/dev/null || { echo "quickstart: no kubectl (scripts/install-tools.sh)" >&2; exit 1; }

if ! lxc-info -n "$container" >/dev/null 2>&1; then
	scripts/lxc-test-container.sh create "$container"
fi

mkdir -p "$dir" "$(dirname "$KUBECONFIG")"
if ! { [ -f "$dir/standalone.pid" ] && kill -0 "$(cat "$dir/standalone.pid")" 2>/dev/null; }; then
	: > "$dir/standalone.log"
	nohup node dist/operator/src/main.js standalone --data-dir "$dir/data" --kubeconfig "$KUBECONFIG" \
		--listen 127.0.0.1:0 >>"$dir/standalone.log" 2>&1 &
	echo $! > "$dir/standalone.pid"
	for _ in $(seq 300); do grep -q 'node agent running' "$dir/standalone.log" && break; sleep 0.1; done
	grep -q 'node agent running' "$dir/standalone.log" || { cat "$dir/standalone.log" >&2; exit 1; }
fi

echo "+ kubectl lxc-attach -n $container -- uname -a"
kubectl lxc-attach -n "$container" -- uname -a
cat <<MSG

Standalone mode is running (pid $(cat "$dir/standalone.pid"), log $dir/standalone.log).
Use it with:  export KUBECONFIG=$KUBECONFIG PATH=$root/.tools/bin:\$PATH
              kubectl lxc-attach -n $container
Stop it with: kill \$(cat $dir/standalone.pid)
MSG
