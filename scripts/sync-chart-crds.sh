#!/usr/bin/env bash
# Copies the CRDs of crds/ into the Helm chart (charts/lxc-attach-operator/files/crds/), which
# renders them as templates. crds/ is the one source; the chart's copy is never edited by hand.
# --check: change nothing, fail when the chart's copy differs (test/chart runs the same check).
set -euo pipefail
cd "$(dirname "$0")/.."
src=crds
dst=charts/lxc-attach-operator/files/crds
check=false
[ "${1:-}" = --check ] && check=true
stale=0
shopt -s nullglob
for f in "$src"/*.yaml; do
	target="$dst/$(basename "$f")"
	cmp -s "$f" "$target" && continue
	if $check; then
		echo "sync-chart-crds: $target differs from $f: run scripts/sync-chart-crds.sh" >&2
		stale=1
	else
		mkdir -p "$dst"
		cp "$f" "$target"
		echo "wrote $target"
	fi
done
for f in "$dst"/*.yaml; do
	[ -e "$src/$(basename "$f")" ] && continue
	if $check; then
		echo "sync-chart-crds: $f has no source in $src/" >&2
		stale=1
	else
		rm "$f"
		echo "removed $f"
	fi
done
exit "$stale"
