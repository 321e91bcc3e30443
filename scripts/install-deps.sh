#!/bin/bash
# Install everything the build, the guest harness and the tests need, by name,
# from Debian's apt. Idempotent: a second run installs nothing.
#
#   KVER=6.12.117+deb12-amd64 scripts/install-deps.sh   # pin another kernel
#   EXTRA_KVERS="6.1.0-47-amd64" ...                    # more kernels (matrix)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)

base_pkgs=(qemu-system-x86 busybox-static fio liburing-dev libcli11-dev
	googletest libgtest-dev cmake g++ make bc bison flex libelf-dev
	e2fsprogs xfsprogs zstd xz-utils cpio kmod sparse dmsetup
	util-linux libaio-dev nlohmann-json3-dev python3)

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
pkgs=("${base_pkgs[@]}" "linux-image-${kver}-unsigned" "linux-headers-${kver}"
	linux-source-6.12)
for k in ${EXTRA_KVERS:-}; do
	case "$k" in
	6.1.*) pkgs+=("linux-image-${k}-unsigned" "linux-headers-${k}") ;;
	*) pkgs+=("linux-image-${k}-unsigned" "linux-headers-${k}") ;;
	esac
done

missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
		missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
	echo "deps: all ${#pkgs[@]} packages present (kernel $kver)"
	exit 0
fi
if [ "$need_update" = 1 ]; then
	apt-get update -qq
	mkdir -p "$(dirname "$stamp")" && touch "$stamp"
fi
echo "deps: installing ${missing[*]}"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
	"${missing[@]}" >/dev/null
echo "deps: done (kernel $kver)"
