#!/bin/bash
# The build tree for Debian's 7.x kernels: their kbuild tools and gcc are
# sid's and need sid's libc, so the module is built for them inside a
# minimal sid tree made by mmdebstrap (build/sid-root, ~520 MB, ~2.5 min),
# never on the host. The tree holds gcc, make and the headers of every
# release named; the host's source tree is bind-mounted at the same path.
#
#   scripts/sid-root.sh ensure 7.2.13+deb14-amd64 7.3-amd64
#   scripts/sid-root.sh run make -C /usr/src/linux-headers-7.3-amd64 M=$PWD/build/kmod/7.3-amd64 modules
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
root=${SDIO_SID_ROOT:-$top/build/sid-root}
mirror=${SDIO_APT_MIRROR:-http://deb.debian.org/debian}

ensure() { # ensure RELEASE...: a tree with those releases' headers
	local missing=() rel pkgs=() suite d
	for rel in "$@"; do
		[ -e "$root/usr/src/linux-headers-$rel/Makefile" ] || missing+=("$rel")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	# Remade with the headers it had besides the ones asked for.
	local had=()
	for d in "$root"/usr/src/linux-headers-*-amd64; do
		[ -e "$d/Makefile" ] && had+=("${d##*/linux-headers-}")
	done
	set -- $(printf '%s\n' "$@" "${had[@]}" | sort -u)
	for rel in "$@"; do
		# experimental's releases carry no +debN suffix (7.3-amd64).
		suite=sid
		[[ "$rel" == *+deb* ]] || suite=experimental
		pkgs+=("linux-headers-$rel/$suite")
	done
	command -v mmdebstrap >/dev/null || {
		echo "sid-root: mmdebstrap missing (make deps installs it)" >&2; exit 1; }
	echo "sid-root: making $root with headers for $*"
	rm -rf "$root"
	mmdebstrap --variant=apt --quiet \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--include="gcc,make,libc6-dev,$(IFS=,; echo "${pkgs[*]}")" \
		sid "$root" \
		"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror sid main" \
		"deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $mirror experimental main"
	rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*_Packages
}

run() { # run CMD...: in the tree, with /proc (7.x's objtool reads it) and
	# the source tree at the same path; the mounts die with the command.
	[ -x "$root/usr/bin/make" ] || { echo "sid-root: no tree at $root (sid-root.sh ensure)" >&2; exit 1; }
	mkdir -p "$root$top"
	unshare --mount --propagation private -- /bin/bash -c '
		set -e
		root=$1 top=$2 cwd=$3
		shift 3
		mount -t proc proc "$root/proc"
		mount --bind "$top" "$root$top"
		exec chroot "$root" /bin/sh -c "cd \"\$1\" && shift && exec \"\$@\"" sh "$cwd" "$@"
	' sh "$root" "$top" "$PWD" "$@"
}

case "${1:-}" in
ensure) shift; ensure "$@" ;;
run) shift; run "$@" ;;
*) echo "usage: sid-root.sh ensure RELEASE... | run CMD..." >&2; exit 2 ;;
esac
