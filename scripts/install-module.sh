#!/bin/bash
# Install a built simple_dio.ko for kernel KVER the way kbuild does it
# (`make M=... modules_install`: /lib/modules/KVER/updates/ on 6.12, extra/
# on 6.1, compressed and signed as that kernel's config says), then run
# depmod, which Debian's headers skip for lack of a System.map. Debian's
# headers ship no signing key: then it is installed unsigned (one note line).
# INSTALL_MOD_PATH=DIR stages under DIR instead of /; INSTALL_MOD_DIR and
# KDIR (default /usr/src/linux-headers-KVER) are honoured. Never loads it.
#
#   install-module.sh KVER build/kmod/KVER/simple_dio.ko
set -euo pipefail
[ $# = 2 ] || { echo "usage: install-module.sh KVER KO" >&2; exit 2; }
kver=$1 ko=$2
kdir=${KDIR:-/usr/src/linux-headers-$kver}
mdir=$(cd "$(dirname "$ko")" && pwd)
stage=${INSTALL_MOD_PATH:-}
[ -r "$ko" ] || { echo "install-module: no $ko (make module KVER=$kver)" >&2; exit 1; }
[ -e "$kdir/Makefile" ] || { echo "install-module: no kernel headers at $kdir" >&2; exit 1; }
[ -e "$mdir/modules.order" ] || { echo "install-module: no modules.order in $mdir" >&2; exit 1; }
vm=$(modinfo -F vermagic "$ko")
[ "${vm%% *}" = "$kver" ] ||
	{ echo "install-module: $ko is built for ${vm%% *}, not $kver" >&2; exit 1; }
if [ -n "$stage" ]; then
	mkdir -p "$stage"
	stage=$(cd "$stage" && pwd)
fi
nosign=()
key=$(sed -n 's/^CONFIG_MODULE_SIG_KEY="\(.*\)"$/\1/p' "$kdir/.config" 2>/dev/null || true)
[[ "$key" == /* ]] || key_path=$kdir/$key
if [ -n "$key" ] && [[ "$key" != pkcs11:* ]] && [ ! -r "${key_path:-$key}" ]; then
	echo "install-module: no signing key $key in $kdir: installing unsigned"
	nosign=(CONFIG_MODULE_SIG_ALL=)
fi
make -C "$kdir" M="$mdir" INSTALL_MOD_PATH="$stage" "${nosign[@]}" \
	${INSTALL_MOD_DIR:+INSTALL_MOD_DIR="$INSTALL_MOD_DIR"} modules_install \
	2> >(grep -v "missing 'System.map' file. Skipping depmod" >&2)
# A staging dir has no modules.order/builtin of the kernel's: not an error.
depmod ${stage:+-b "$stage"} -a "$kver" 2> >(grep -v 'could not open modules\.' >&2)
echo "install-module: simple_dio for $kver installed under $stage/lib/modules/$kver"
