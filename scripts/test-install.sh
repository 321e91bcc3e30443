#!/bin/bash
# Check scripts/install-module.sh (make install): build the module for each
# kernel in KVERS (default: the one pick-kernel.sh prints) in a scratch
# directory, install it into a temporary INSTALL_MOD_PATH, and check that the
# .ko lands under lib/modules/KVER/, that modules.dep lists it, that modinfo
# finds it by name there, and that nothing was written to the real
# /lib/modules. Builds and copies files only; never loads the module.
#
#   scripts/test-install.sh     # one "ok - ..." / "not ok - ..." line per step
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kvers=${KVERS:-$("$top/scripts/pick-kernel.sh")}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/sdio-install.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
fail=0
ok() { echo "ok - $*"; }
not_ok() { echo "not ok - $*"; [ -s "$tmp/log" ] && sed 's/^/#   /' "$tmp/log" | tail -n 20; fail=1; }
for k in $kvers; do
	b=$tmp/build-$k stage=$tmp/stage-$k
	mkdir -p "$b"
	cp "$top"/kmod/*.c "$top"/kmod/*.h "$top"/kmod/*.S "$top/kmod/Kbuild" "$top/kmod/Makefile" "$b/"
	if make -C "/usr/src/linux-headers-$k" M="$b" modules >"$tmp/log" 2>&1; then
		ok "$k: module builds"
	else
		not_ok "$k: module builds"; continue
	fi
	if INSTALL_MOD_PATH=$stage "$top/scripts/install-module.sh" "$k" "$b/simple_dio.ko" \
		>"$tmp/log" 2>&1; then ok "$k: install-module.sh"; else not_ok "$k: install-module.sh"; continue; fi
	ko=$(cd "$stage/lib/modules/$k" 2>/dev/null && find . -name 'simple_dio.ko*' | sed 's|^\./||')
	echo "${ko:-no simple_dio.ko* under $stage/lib/modules/$k}" >"$tmp/log"
	if [ -n "$ko" ]; then ok "$k: installed as lib/modules/$k/$ko"; else not_ok "$k: .ko installed"; fi
	cp "$stage/lib/modules/$k/modules.dep" "$tmp/log" 2>/dev/null || echo "no modules.dep" >"$tmp/log"
	if [ -n "$ko" ] && grep -q "^$ko:" "$stage/lib/modules/$k/modules.dep"; then
		ok "$k: modules.dep lists $ko"
	else
		not_ok "$k: modules.dep lists simple_dio"
	fi
	p=$(modinfo -b "$stage" -k "$k" -n simple_dio 2>"$tmp/log" || true)
	if [ "$p" = "$stage/lib/modules/$k/$ko" ]; then ok "$k: modinfo resolves simple_dio"; else not_ok "$k: modinfo resolves simple_dio (got '$p')"; fi
	stray=$(find "/lib/modules/$k" -name 'simple_dio.ko*' 2>/dev/null)
	echo "$stray" >"$tmp/log"
	if [ -z "$stray" ]; then ok "$k: nothing installed outside the staging dir"; else not_ok "$k: simple_dio.ko found under /lib/modules/$k"; fi
done
exit $fail
