#!/bin/bash
# Check `make deb`: build the two packages (scripts/build-deb.sh), run lintian
# on them, install simple-dio-dkms and check that DKMS built and installed the
# module for every kernel with headers here, install diobench and run it, then
# purge both and check that nothing is left behind.
#
# Never loads the module: dpkg -i only makes DKMS build it and copy it under
# /lib/modules/KVER/updates/dkms (plus depmod), and purging takes it out again.
# Module signing is switched off for the run as in scripts/test-dkms.sh (a
# drop-in under /etc/dkms, removed on exit); DKMS_SIGN=1 keeps Debian's default.
#
# scripts/test-dkms.sh registers the same simple-dio/VERSION from the source
# tree: each script removes the other's registration first, and this one
# purges the packages again on exit, so they can run one after the other in
# any order, but not at the same time: both wait for the lock
# /run/lock/simple-dio-dkms-test.lock (flock). A simple-dio-dkms or
# diobench package installed before the run is purged (and says so in a
# "#" line).
#
# Root; needs debhelper, dh-dkms, lintian, dkms (make deps).
#   scripts/test-deb.sh           # one "ok - ..." / "not ok - ..." line per step
#   DEB_REUSE=1 scripts/test-deb.sh   # use build/deb/*.deb if they are there
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "test-deb: must run as root" >&2; exit 2; }
for c in dkms lintian dpkg-buildpackage dh_dkms; do
	command -v "$c" >/dev/null ||
		{ echo "test-deb: no $c (make deps installs it)" >&2; exit 2; }
done
name=simple-dio
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
[ -n "$ver" ] || { echo "test-deb: no PACKAGE_VERSION in dkms.conf" >&2; exit 2; }
out=${OUT:-$top/build/deb}
arch=$(dpkg --print-architecture)
dkms_deb=$out/$name-dkms_${ver}_all.deb
bench_deb=$out/diobench_${ver}_${arch}.deb
src=/usr/src/$name-$ver tree=/var/lib/dkms/$name/$ver
nosign=/etc/dkms/framework.conf.d/zz-simple-dio-test-deb-nosign-$$.conf
log=$(mktemp) fail=0
. "$top/scripts/tap.sh"
present() { # the package is known to dpkg in any state but "not installed"
	local s
	s=$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null) || return 1
	[ -n "$s" ] && [ "$s" != not-installed ]
}
# Everything this test (or test-dkms.sh, or a hand-made registration of the
# same version) may have left: the packages, then a DKMS registration of
# simple-dio/VERSION and its source directory.
remove_all() {
	local p
	for p in $name-dkms diobench; do
		present "$p" && dpkg --purge "$p" >/dev/null 2>&1
	done
	if [ -e "$tree" ] || [ -e "$src" ]; then
		dkms remove "$name/$ver" --all >/dev/null 2>&1 || true
		rm -rf "$src" "$tree"
		rmdir "/var/lib/dkms/$name" 2>/dev/null || true
	fi
	return 0
}
kernels() { # every kernel with headers (its build link leads to a Makefile)
	local b
	for b in /lib/modules/*/build; do
		[ -e "$b/Makefile" ] && basename "$(dirname "$b")"
	done
}
loaded() { grep -qs '^simple_dio ' /proc/modules || [ -e /sys/kernel/livepatch/simple_dio ]; }
# One run at a time (two clones' make check on one machine share DKMS).
mkdir -p /run/lock
exec 9>/run/lock/simple-dio-dkms-test.lock
flock 9
trap 'remove_all; rm -f "$nosign" "$log"' EXIT

for p in $name-dkms diobench; do
	present "$p" && echo "# $p was installed before the test: purging it"
done
[ -e "$tree" ] || [ -e "$src" ] && ! present "$name-dkms" &&
	echo "# removing a DKMS registration of $name/$ver made outside the package (scripts/test-dkms.sh?)"
remove_all
if [ "${DKMS_SIGN:-0}" != 1 ]; then
	mkdir -p "$(dirname "$nosign")"
	echo 'sign_file="/nonexistent/simple-dio-test/sign-file"' >"$nosign"
fi

# 1. Build.
if [ "${DEB_REUSE:-0}" = 1 ] && [ -e "$dkms_deb" ] && [ -e "$bench_deb" ]; then
	ok "packages build # SKIP DEB_REUSE=1: using $out"
else
	step "packages build (make deb: scripts/build-deb.sh)" env OUT="$out" "$top/scripts/build-deb.sh"
fi
for d in "$dkms_deb" "$bench_deb"; do
	check "built ${d#"$top/"}" "missing; $out holds: $(ls "$out" 2>&1 | tr '\n' ' ')" test -s "$d"
done
[ -s "$dkms_deb" ] && [ -s "$bench_deb" ] || { echo "not ok - no packages to test further"; exit 1; }
for d in "$dkms_deb" "$bench_deb"; do
	v=$(dpkg-deb -f "$d" Version)
	check "$(basename "$d"): Version $v is dkms.conf's PACKAGE_VERSION" "Version $v, dkms.conf $ver" \
		test "$v" = "$ver"
done

# 2. Contents.
dkms_files=$(dpkg-deb -c "$dkms_deb" | awk '{print $NF}' | sed 's|^\./|/|')
want="$src/dkms.conf /usr/sbin/simple-dio-unload /usr/share/man/man8/simple-dio-unload.8.gz"
for f in "$top"/kmod/*.c "$top"/kmod/*.h "$top"/kmod/*.S "$top/kmod/Kbuild" "$top/kmod/Makefile"; do
	want+=" $src/kmod/$(basename "$f")"
done
missing=$(for f in $want; do grep -qxF "$f" <<<"$dkms_files" || echo "$f"; done)
check "$(basename "$dkms_deb") holds dkms.conf, every kmod/ source, simple-dio-unload and its man page" \
	"missing: $missing" test -z "$missing"
if dpkg-deb --fsys-tarfile "$dkms_deb" | tar -xOf - ".$src/dkms.conf" >"$log.conf" 2>"$log" &&
	cmp -s "$log.conf" "$top/dkms.conf"; then
	ok "packaged dkms.conf is the tree's"
else
	diff "$top/dkms.conf" "$log.conf" >>"$log" 2>&1; not_ok "packaged dkms.conf is the tree's"
fi
rm -f "$log.conf"
bench_files=$(dpkg-deb -c "$bench_deb" | awk '{print $NF}' | sed 's|^\./|/|')
missing=$(for f in /usr/bin/diobench /usr/share/man/man1/diobench.1.gz; do
	grep -qxF "$f" <<<"$bench_files" || echo "$f"; done)
check "$(basename "$bench_deb") holds /usr/bin/diobench and its man page" "missing: $missing" test -z "$missing"

# 3. lintian: errors fail, warnings are listed.
# The .changes of the build names both packages (and diobench-dbgsym).
changes=$(ls "$out"/simple-dio_"$ver"_*.changes 2>/dev/null | head -n 1)
if [ -n "$changes" ]; then lint_on=("$changes"); else lint_on=("$dkms_deb" "$bench_deb"); fi
lint=$(lintian --tag-display-limit 0 "${lint_on[@]}" 2>&1)
echo "# $(lintian --version 2>&1) on ${lint_on[*]##*/}"
errors=$(grep -E '^E: ' <<<"$lint")
warnings=$(grep -E '^W: ' <<<"$lint")
nw=$(grep -c . <<<"$warnings")
[ -n "$warnings" ] || nw=0
if [ -z "$errors" ]; then
	ok "lintian: no errors ($nw warnings)"
else
	echo "$errors" >"$log"; not_ok "lintian: $(grep -c . <<<"$errors") errors"
fi
[ -z "$warnings" ] || sed 's/^/# lintian /' <<<"$warnings"

# 4. Install the DKMS package: DKMS builds and installs for the kernels.
if dpkg -i "$dkms_deb" >"$log" 2>&1; then
	ok "dpkg -i $(basename "$dkms_deb")"
	grep -E '^Building for ' "$log" | sed 's/^/# postinst: /'
else
	not_ok "dpkg -i $(basename "$dkms_deb")"
fi
kvers=$(kernels)
[ -n "$kvers" ] || { echo "no kernel with headers under /lib/modules" >"$log"; not_ok "kernels with headers found"; }
for k in $kvers; do
	st=$(dkms status -m "$name" -v "$ver" -k "$k" 2>/dev/null)
	if grep -q ': installed' <<<"$st"; then
		ok "$k: dpkg -i made DKMS build and install $name/$ver (dkms status: ${st##*: })"
	else
		# dkms's postinst builds for the running and the newest kernel
		# when the running one is installed here; the others get it on
		# the next `dkms autoinstall` (kernel install). Check them too.
		echo "# $k: not built by the postinst (dkms status: '${st:-none}'); dkms install -k $k"
		dkms install "$name/$ver" -k "$k" >"$log" 2>&1
		rc=$?
		if [ $rc = 0 ]; then ok "$k: dkms install $name/$ver after dpkg -i"
		elif [ $rc = 77 ]; then ok "$k: # SKIP kernel lacks CONFIG_LIVEPATCH/CONFIG_FS_IOMAP"; continue
		else
			[ -e "$tree/build/make.log" ] && cp "$tree/build/make.log" "$log"
			not_ok "$k: DKMS builds $name/$ver"; continue
		fi
	fi
	ko=$(ls /lib/modules/"$k"/updates/dkms/simple_dio.ko* 2>/dev/null | head -n 1)
	vm=$([ -n "$ko" ] && modinfo -F vermagic "$ko" 2>/dev/null)
	check "$k: ${ko:-simple_dio.ko} installed, vermagic $k" "module: ${ko:-none}, vermagic: ${vm:-none}" \
		test "${vm%% *}" = "$k"
	check "$k: modules.dep lists updates/dkms/simple_dio.ko" "$(grep simple_dio "/lib/modules/$k/modules.dep")" \
		grep -q '^updates/dkms/simple_dio\.ko[^:]*:' "/lib/modules/$k/modules.dep"
done
dkms status "$name" 2>/dev/null | sed 's/^/# dkms status: /'
check "module not loaded on the host" "simple_dio is in /proc/modules or /sys/kernel/livepatch" \
	eval '! loaded'
check "simple-dio-unload installed as /usr/sbin/simple-dio-unload" "$(command -v simple-dio-unload)" \
	test "$(command -v simple-dio-unload)" = /usr/sbin/simple-dio-unload
step "man simple-dio-unload finds the man page" man -w simple-dio-unload
# With nothing loaded the script only looks at sysfs and /proc/modules
# (which a kernel without module support lacks: then it has nothing to do).
if ! loaded; then
	step "simple-dio-unload with nothing loaded exits 0" simple-dio-unload 1
fi

# 5. diobench.
step "dpkg -i $(basename "$bench_deb")" dpkg -i "$bench_deb"
if diobench --help >"$log" 2>&1 && grep -q '^Usage: diobench' "$log"; then
	ok "diobench --help: $(grep -m1 '^Usage:' "$log")"
else
	not_ok "diobench --help"
fi
step "man diobench finds the man page" man -w diobench
step "dpkg --purge diobench" dpkg --purge diobench
check "diobench purged: no /usr/bin/diobench" "$(ls -l /usr/bin/diobench 2>&1)" test ! -e /usr/bin/diobench

# 6. Purge the DKMS package: nothing may be left.
step "dpkg --purge $name-dkms" dpkg --purge "$name-dkms"
left=$( {
	present "$name-dkms" && echo "dpkg: $name-dkms $(dpkg-query -W -f='${db:Status-Status}' "$name-dkms")"
	ls -d /usr/src/"$name"-* /var/lib/dkms/"$name" /usr/sbin/simple-dio-unload 2>/dev/null
	find /lib/modules/*/updates -name 'simple_dio.ko*' 2>/dev/null
	grep -l simple_dio /lib/modules/*/modules.dep 2>/dev/null
	dkms status "$name" 2>&1 | grep -v 'readelf: Warning'
} )
check "purge left nothing (/usr/src/$name-*, /var/lib/dkms/$name, simple_dio.ko under /lib/modules/*/updates, modules.dep, dkms status)" \
	"$left" test -z "$left"
exit $fail
