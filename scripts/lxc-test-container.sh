#!/usr/bin/env bash
# Makes or removes the busybox LXC containers the tests and the demo use.
#
#   lxc-test-container.sh create NAME [--unprivileged] [--stopped]
#                                                        busybox container with user 1000, started
#                                                        unless --stopped
#   lxc-test-container.sh destroy NAME...                 stop -k and destroy
#   lxc-test-container.sh reap PREFIX                     destroy PREFIX<pid>-* whose <pid> is gone
#
# Needs root and Debian's lxc and busybox-static (the README's setup installs them).
set -euo pipefail

die() { echo "lxc-test-container: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "must run as root (LXC containers are created with lxc-create)"
command -v lxc-create >/dev/null || die "lxc-create not found: apt-get install -y lxc busybox-static"

lxcpath=$(lxc-config lxc.lxcpath)

ensure_subids() {
	# lxc-start's newuidmap refuses the id map without these lines.
	grep -q '^root:100000:65536$' /etc/subuid 2>/dev/null || echo 'root:100000:65536' >> /etc/subuid
	grep -q '^root:100000:65536$' /etc/subgid 2>/dev/null || echo 'root:100000:65536' >> /etc/subgid
}

create() {
	local name=$1 unprivileged= stopped= flag conf
	shift
	for flag in "$@"; do
		case "$flag" in
		--unprivileged) unprivileged=$flag ;;
		--stopped) stopped=$flag ;;
		*) die "create: unknown option $flag" ;;
		esac
	done
	conf=$(mktemp)
	trap 'rm -f "$conf"' RETURN
	echo 'lxc.net.0.type = empty' > "$conf"  # no lxcbr0 bridge runs on these machines
	if [ "$unprivileged" = --unprivileged ]; then
		ensure_subids
		cat >> "$conf" <<-CONF
		lxc.idmap = u 0 100000 65536
		lxc.idmap = g 0 100000 65536
		lxc.no_new_privs = 1
		lxc.seccomp.profile = /usr/share/lxc/config/common.seccomp
		CONF
	fi
	lxc-create -n "$name" -t busybox -f "$conf" >/dev/null
	local rootfs="$lxcpath/$name/rootfs"
	# The template's busybox is setuid+setgid root, which would add gid 0 to every -g test.
	chmod 755 "$rootfs/bin/busybox"
	echo 'user:x:1000:1000:user:/home/user:/bin/sh' >> "$rootfs/etc/passwd"
	echo 'user:x:1000:' >> "$rootfs/etc/group"
	mkdir -p "$rootfs/home/user"
	if [ "$unprivileged" = --unprivileged ]; then
		chown 101000:101000 "$rootfs/home/user"
	else
		chown 1000:1000 "$rootfs/home/user"
	fi
	if [ -n "$stopped" ]; then
		return
	fi
	lxc-start -n "$name"
	lxc-wait -n "$name" -s RUNNING -t 30
}

destroy() {
	local name
	for name in "$@"; do
		[ -e "$lxcpath/$name" ] || continue
		lxc-stop -k -n "$name" >/dev/null 2>&1 || true  # NB: already stopped is fine
		lxc-destroy -n "$name" >/dev/null
	done
}

reap() {
	local prefix=$1 dir name pid
	for dir in "$lxcpath/$prefix"*; do
		[ -e "$dir" ] || continue
		name=${dir##*/}
		pid=${name#"$prefix"}
		pid=${pid%%-*}
		[[ $pid =~ ^[0-9]+$ ]] || continue
		kill -0 "$pid" 2>/dev/null && continue
		destroy "$name"
	done
}

cmd=${1:-}; shift || true
case "$cmd" in
create) [ $# -ge 1 ] || die "usage: create NAME [--unprivileged] [--stopped]"; create "$@" ;;
destroy) destroy "$@" ;;
reap) [ $# -eq 1 ] || die "usage: reap PREFIX"; reap "$1" ;;
*) die "usage: create NAME [--unprivileged] [--stopped] | destroy NAME... | reap PREFIX" ;;
esac
