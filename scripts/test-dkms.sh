#!/bin/bash
# Check that dkms.conf works: register the module with DKMS and build it for
# every kernel with headers here (or KVERS="k1 k2"), then remove it again.
# Build only: nothing is installed or loaded, no depmod, no initramfs. Module
# signing is switched off for the run (a drop-in under /etc/dkms, removed on
# exit) so DKMS does not create a MOK key; DKMS_SIGN=1 keeps Debian's default.
# Root, needs the dkms package. Re-runnable: it first removes what an earlier
# run (or an earlier DKMS registration of this version) left behind.
#
#   scripts/test-dkms.sh      # one "ok - ..." / "not ok - ..." line per step
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
# One DKMS test at a time on this machine (scripts/test-deb.sh takes the
# same lock): both register simple-dio/<version>.
mkdir -p /run/lock
exec 9>/run/lock/simple-dio-dkms-test.lock
flock 9
[ "$(id -u)" = 0 ] || { echo "test-dkms: must run as root" >&2; exit 2; }
command -v dkms >/dev/null || { echo "test-dkms: no dkms (apt-get install -y dkms)" >&2; exit 2; }
name=simple-dio
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
[ -n "$ver" ] || { echo "test-dkms: no PACKAGE_VERSION in dkms.conf" >&2; exit 2; }
src=/usr/src/$name-$ver tree=/var/lib/dkms/$name/$ver
nosign=/etc/dkms/framework.conf.d/zz-simple-dio-test-nosign.conf
log=$(mktemp) fail=0
. "$top/scripts/tap.sh"
cleanup() {
	dkms remove "$name/$ver" --all >/dev/null 2>&1 || true
	rm -rf "$src" "$tree"
	rmdir /var/lib/dkms/$name 2>/dev/null || true
}
trap 'cleanup; rm -f "$nosign" "$log"' EXIT

cleanup
if [ "${DKMS_SIGN:-0}" != 1 ]; then
	mkdir -p "$(dirname "$nosign")"
	echo 'sign_file="/nonexistent/simple-dio-test/sign-file"' >"$nosign"
fi
mkdir -p "$src/kmod"
cp "$top/dkms.conf" "$src/"
cp "$top"/kmod/*.c "$top"/kmod/*.h "$top"/kmod/*.S "$top/kmod/Kbuild" "$top/kmod/Makefile" "$src/kmod/"
step "dkms add $name/$ver" dkms add "$name/$ver"

kvers=${KVERS:-$(for b in /lib/modules/*/build; do
	[ -e "$b/Makefile" ] && basename "$(dirname "$b")"; done)}
[ -n "$kvers" ] || { echo "not ok - no kernel headers found"; exit 1; }
arch=$(uname -m)
for k in $kvers; do
	if dkms build "$name/$ver" -k "$k" >"$log" 2>&1; then
		ok "dkms build for $k"
	elif [ $? = 77 ]; then
		ok "dkms build for $k # SKIP kernel lacks CONFIG_DYNAMIC_FTRACE_WITH_DIRECT_CALLS/CONFIG_FS_IOMAP"
		continue
	else
		[ -e "$tree/build/make.log" ] && cp "$tree/build/make.log" "$log"
		not_ok "dkms build for $k"
		continue
	fi
	ko=$(ls "$tree/$k/$arch/module/simple_dio.ko"* 2>/dev/null | head -n 1 || true)
	vm=$([ -n "$ko" ] && modinfo -F vermagic "$ko" 2>/dev/null || true)
	if [ "${vm%% *}" = "$k" ]; then
		ok "$k: ${ko#"$tree/"} built, vermagic $k"
	else
		echo "module: ${ko:-none}, vermagic: ${vm:-none}" >"$log"
		not_ok "$k: simple_dio.ko for $k in $tree/$k/$arch/module"
	fi
done

step "dkms remove $name/$ver --all" dkms remove "$name/$ver" --all
rm -rf "$src"
left=$(dkms status "$name" 2>&1; ls -d "$src" "$tree" 2>/dev/null || true)
if [ -z "$left" ]; then ok "nothing left behind"; else echo "$left" >"$log"; not_ok "nothing left behind"; fi
exit $fail
