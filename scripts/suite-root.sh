#!/bin/bash
# Build trees for the Debian kernels this Debian 12 machine does not run:
# their kbuild tools and gcc are their suite's and need that suite's libc,
# so the module is built for them inside a minimal tree of the suite made
# by mmdebstrap (build/SUITE-root, ~520 MB, ~2.5 min), never on the host:
# sid for the 7.x kernels (sid and experimental), trixie for Debian 13's
# 6.12. A tree holds gcc, make, dkms (scripts/test-deb-suite.sh installs
# the .deb in it) and the headers of every release named; the host's source
# tree is bind-mounted at the same path.
#
#   scripts/suite-root.sh ensure sid 7.2.13+deb14-amd64 7.3-amd64
#   scripts/suite-root.sh ensure trixie 6.12.118+deb13-amd64
#   scripts/suite-root.sh ensure trixie 6.12.118+deb13-rt-amd64   # PREEMPT_RT, headers beside the others
#   scripts/suite-root.sh run trixie make -C /usr/src/linux-headers-6.12.118+deb13-amd64 M=$PWD/build/kmod/6.12.118+deb13-amd64 modules
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
mirror=${SDIO_APT_MIRROR:-http://deb.debian.org/debian}
security=${SDIO_APT_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
key='[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]'

suite=${2:-}
case "$suite" in
sid|trixie) root=$top/build/$suite-root ;;
*) echo "usage: suite-root.sh ensure sid|trixie RELEASE... | run sid|trixie CMD..." >&2; exit 2 ;;
esac

ensure() { # ensure RELEASE...: a tree with those releases' headers
	local missing=() rel include=(gcc make libc6-dev dkms) sources=() unpack=() suite_of deps d dl
	for rel in "$@"; do
		[ -e "$root/usr/src/linux-headers-$rel/Makefile" ] || missing+=("$rel")
	done
	# A tree made before dkms was in it is made again.
	[ ${#missing[@]} -eq 0 ] && [ -x "$root/usr/sbin/dkms" ] && return 0
	# Remade with the headers it had besides the ones asked for.
	local had=()
	for d in "$root"/usr/src/linux-headers-*-amd64; do
		[ -e "$d/Makefile" ] && had+=("${d##*/linux-headers-}")
	done
	# shellcheck disable=SC2046 # release names, split on purpose
	set -- $(printf '%s\n' "$@" "${had[@]}" | sort -u)
	case "$suite" in
	sid)
		sources=("deb $key $mirror sid main" "deb $key $mirror experimental main")
		for rel in "$@"; do
			# experimental's releases carry no +debN suffix (7.3-amd64).
			suite_of=sid
			[[ "$rel" == *+deb* ]] || suite_of=experimental
			include+=("linux-headers-$rel/$suite_of")
		done ;;
	trixie)
		sources=("deb $key $mirror trixie main" "deb $key $security trixie-security main")
		# W=1 runs 6.12's kernel-doc, a perl script wanting more than
		# perl-base; sparse for C=2 (tests/run-all.sh).
		include+=(perl sparse)
		# 6.12's headers package depends on the kernel image (108 MB of
		# modules and an initramfs run): the tree gets what the headers
		# need but the image, and the headers package is unpacked.
		for rel in "$@"; do
			deps=$("$top/scripts/private-apt.sh" cache show --no-all-versions "linux-headers-$rel" |
				sed -n 's/^Depends: //p' | tr ',' '\n' | grep -v 'linux-image-' |
				sed 's/|.*//; s/(.*//; s/ //g') || true
			[ -n "$deps" ] || { echo "suite-root: no linux-headers-$rel in the private apt (fetch-kernel.sh pick)" >&2; exit 1; }
			# shellcheck disable=SC2206 # one name a line, split on purpose
			include+=($deps)
			unpack+=("linux-headers-$rel")
		done ;;
	esac
	command -v mmdebstrap >/dev/null || {
		echo "suite-root: mmdebstrap missing (make deps installs it)" >&2; exit 1; }
	echo "suite-root: making $root with headers for $*"
	rm -rf "$root"
	mmdebstrap --variant=apt --quiet \
		--aptopt='Acquire::Check-Valid-Until "false"' \
		--include="$(IFS=,; echo "${include[*]}")" \
		"$suite" "$root" "${sources[@]}"
	if [ ${#unpack[@]} -gt 0 ]; then
		dl=$(mktemp -d "$top/build/apt/dl.XXXXXX")
		(cd "$dl" && "$top/scripts/private-apt.sh" download "${unpack[@]}" >/dev/null)
		for d in "$dl"/*.deb; do dpkg -x "$d" "$root"; done
		rm -rf "$dl"
	fi
	rm -rf "$root/var/cache/apt/archives"/*.deb "$root/var/lib/apt/lists"/*_Packages
}

run() { # run CMD...: in the tree, with /proc (7.x's objtool reads it) and
	# the source tree at the same path; the mounts die with the command.
	[ -x "$root/usr/bin/make" ] || { echo "suite-root: no tree at $root (suite-root.sh ensure $suite)" >&2; exit 1; }
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
ensure) shift 2; ensure "$@" ;;
run) shift 2; run "$@" ;;
*) echo "usage: suite-root.sh ensure sid|trixie RELEASE... | run sid|trixie CMD..." >&2; exit 2 ;;
esac
