#!/bin/bash
# Install everything the build, the guest harness and the tests need, by name,
# from Debian's apt, on Debian 12 or 13 (every name below exists in both;
# tests/fresh-host.sh installs them on a fresh Debian 13). Idempotent: a
# second run installs nothing.
#
#   KVER=6.12.117+deb12-amd64 scripts/install-deps.sh   # pin another kernel
#   EXTRA_KVERS="6.1.0-56-amd64" ...                    # more kernels (matrix)
#   KSERIES_EXTRA=6.1 ...             # plus the newest kernel of each series
#   DEPS=demo ...                     # only what make demo builds and boots
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

# make demo: the module, the guest binaries (t/io_uring from fio's source
# package) and one guest image.
demo_pkgs=(qemu-system-x86 busybox-static fio liburing-dev libaio-dev gcc
	make bc bison flex libelf-dev e2fsprogs xfsprogs zstd xz-utils cpio kmod
	dmsetup util-linux python3 dpkg-dev)
# pkgconf: tools/CMakeLists.txt finds liburing through pkg-config (a
# fresh Debian 13 has no pkg-config; this machine had it by chance).
base_pkgs=("${demo_pkgs[@]}" libcli11-dev googletest libgtest-dev cmake g++ pkgconf
	sparse nlohmann-json3-dev clang-tidy dkms mmdebstrap debhelper dh-dkms
	lintian linux-source-6.12)
case "${DEPS:-all}" in
all) ;;
demo) base_pkgs=("${demo_pkgs[@]}") ;;
*) echo "deps: DEPS must be all or demo" >&2; exit 2 ;;
esac

need_update=0
stamp=/var/lib/apt/periodic/simple-dio-update-stamp
if [ ! -e "$stamp" ] || [ -n "$(find "$stamp" -mmin +720 2>/dev/null)" ]; then
	need_update=1
fi

# A fresh machine has no package lists: update before picking the kernel.
if [ "$need_update" = 1 ] && ! dpkg-query -W "linux-headers-${KVER:-6.12.*}" >/dev/null 2>&1; then
	apt-get update -qq
	mkdir -p "$(dirname "$stamp")" && touch "$stamp"
	need_update=0
fi
kver=${KVER:-$("$here/pick-kernel.sh")}
pkgs=("${base_pkgs[@]}" "linux-image-${kver}-unsigned" "linux-headers-${kver}")
# Extra kernels: releases named in EXTRA_KVERS, plus the newest release of each
# series in KSERIES_EXTRA (picked without KVER, which pins only the main one).
read -ra extra <<<"${EXTRA_KVERS:-}"
for s in ${KSERIES_EXTRA:-}; do
	if ! k=$(env -u KVER KSERIES="$s" "$here/pick-kernel.sh") && [ "$need_update" = 1 ]; then
		apt-get update -qq
		mkdir -p "$(dirname "$stamp")" && touch "$stamp"
		need_update=0
		k=$(env -u KVER KSERIES="$s" "$here/pick-kernel.sh")
	fi
	[ -n "${k:-}" ] || { echo "deps: no kernel for series $s" >&2; exit 1; }
	extra+=("$k")
done
kvers=("$kver")
for k in "${extra[@]}"; do
	[[ "$k" =~ ^(6\.1\.0-[0-9]+|6\.12\.[0-9]+\+deb1[23]([.][0-9]+)?)(-cloud|-rt)?-amd64$ ]] || {
		echo "deps: $k is not a Debian 12 or 13 kernel release" \
			"(6.1.0-N-amd64, 6.12.N+deb12-amd64 or 6.12.N+deb13-amd64)" >&2; exit 1; }
	[[ " ${kvers[*]} " == *" $k "* ]] && continue
	kvers+=("$k")
	pkgs+=("linux-image-${k}-unsigned" "linux-headers-${k}")
done

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present (kernel ${kvers[*]})"
	exit 0
fi
if [ "$need_update" = 1 ]; then
	apt-get update -qq
	mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
echo "deps: installing ${missing[*]}"
# apt's output goes to a log of its own, not /dev/null: twice on this
# machine that redirection failed ("/dev/null: Permission denied", exit
# 126) after apt had installed everything; the cause was not found.
log=$(mktemp /tmp/simple-dio-deps.XXXXXX)
if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	"${missing[@]}" >"$log" 2>&1; then
	tail -n 20 "$log" >&2
	exit 1
fi
rm -f "$log"
echo "deps: done (kernel ${kvers[*]})"
