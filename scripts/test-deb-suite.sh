#!/bin/bash
# Check `make deb`'s simple-dio-dkms on the kernels this Debian 12 machine
# does not run (issue 23): dpkg -i the package inside the build tree of the
# kernels' suite (scripts/suite-root.sh: trixie for Debian 13's 6.12, sid
# for the 7.x kernels), where their headers and that suite's own dkms are,
# check that DKMS built and installed the module for every release named
# (vermagic, modules.dep, dkms status), then dpkg --purge it and check that
# nothing is left in the tree. scripts/test-deb.sh does the same on the
# host's kernels (and lintian, diobench).
#
# Build only: the tree is a chroot with no kernel of its own, so nothing can
# be loaded, and the host's /proc/modules is checked anyway. Module signing
# is switched off in the tree for the run (a drop-in under its /etc/dkms,
# removed on exit), as in test-deb.sh. Uses build/deb/simple-dio-dkms_*.deb
# if make deb (or test-deb.sh) made it, else builds it. One run per tree at
# a time (flock). Root.
#
#   scripts/test-deb-suite.sh trixie 6.12.118+deb13-amd64
#   scripts/test-deb-suite.sh sid 7.2.13+deb14-amd64 7.3-amd64
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
usage="usage: test-deb-suite.sh sid|trixie RELEASE..."
suite=${1:-}
case "$suite" in
sid|trixie) ;;
*) echo "$usage" >&2; exit 2 ;;
esac
shift
[ $# -gt 0 ] || { echo "$usage" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "test-deb-suite: must run as root" >&2; exit 2; }
name=simple-dio
ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$top/dkms.conf")
[ -n "$ver" ] || { echo "test-deb-suite: no PACKAGE_VERSION in dkms.conf" >&2; exit 2; }
out=${OUT:-$top/build/deb}
deb=$out/$name-dkms_${ver}_all.deb
root=$top/build/$suite-root
nosign=$root/etc/dkms/framework.conf.d/zz-simple-dio-test-nosign.conf
log=$(mktemp) fail=0
. "$top/scripts/tap.sh"
# Run in the tree: suite-root.sh mounts /proc and the source tree at the
# same path, and starts in the current directory, which must be inside it.
cd "$top" || exit 2
in_tree() { "$top/scripts/suite-root.sh" run "$suite" "$@"; }
installed() { # dpkg in the tree knows the package in any state but "not installed"
	local s
	# shellcheck disable=SC2016 # dpkg-query's format, not the shell's
	s=$(in_tree dpkg-query -W -f='${db:Status-Status}' "$name-dkms" 2>/dev/null) || return 1
	[ -n "$s" ] && [ "$s" != not-installed ]
}
# What a purge must leave: no package, no DKMS source or tree, no module
# under any kernel's updates/, no modules.dep line, nothing in dkms status.
leftovers() {
	installed && echo "dpkg: $name-dkms is still known"
	ls -d "$root"/usr/src/"$name"-* "$root/var/lib/dkms/$name" 2>/dev/null
	find "$root"/usr/lib/modules/*/updates -name 'simple_dio.ko*' 2>/dev/null
	grep -l simple_dio "$root"/usr/lib/modules/*/modules.dep 2>/dev/null
	in_tree dkms status "$name" 2>&1 | grep -v 'readelf: Warning'
}
mkdir -p "$top/build"
exec 9>"$top/build/$suite-root.deb-test.lock"
flock 9
trap 'installed && in_tree dpkg --purge "$name-dkms" >/dev/null 2>&1; rm -f "$nosign" "$log"' EXIT

# The tree (remade if it lacks a release's headers or dkms) and the package.
step "$suite tree with dkms and the headers of $*" "$top/scripts/suite-root.sh" ensure "$suite" "$@"
[ -x "$root/usr/sbin/dkms" ] || { echo "not ok - no dkms in $root"; exit 1; }
if [ -s "$deb" ]; then
	ok "package ${deb#"$top/"} # made by make deb earlier"
else
	step "package builds (make deb: scripts/build-deb.sh)" env OUT="$out" "$top/scripts/build-deb.sh"
	[ -s "$deb" ] || { echo "not ok - no $deb to install"; exit 1; }
fi
if installed; then
	echo "# $name-dkms was installed in $root before the test: purging it"
	in_tree dpkg --purge "$name-dkms" >/dev/null 2>&1
fi
mkdir -p "$(dirname "$nosign")"
echo 'sign_file="/nonexistent/simple-dio-test/sign-file"' >"$nosign"
echo "# $(in_tree dkms --version 2>&1 | head -n 1) in $suite's tree"

# dpkg -i: the postinst makes DKMS build and install the module.
if in_tree dpkg -i "$deb" >"$log" 2>&1; then
	ok "$suite tree: dpkg -i $(basename "$deb")"
	grep -E '^(Building|Autoinstall|Module build).*' "$log" | head -n 10 | sed 's/^/# postinst: /'
else
	not_ok "$suite tree: dpkg -i $(basename "$deb")"
fi
for k in "$@"; do
	st=$(in_tree dkms status -m "$name" -v "$ver" -k "$k" 2>/dev/null)
	if grep -q ': installed' <<<"$st"; then
		ok "$k: dpkg -i made DKMS build and install $name/$ver (dkms status: ${st##*: })"
	else
		# The postinst builds for the running kernel and the newest one
		# when the running one is there; in a chroot it is the host's.
		echo "# $k: not built by the postinst (dkms status: '${st:-none}'); dkms install -k $k"
		if in_tree dkms install "$name/$ver" -k "$k" >"$log" 2>&1; then
			ok "$k: dkms install $name/$ver after dpkg -i"
		else
			[ -e "$root/var/lib/dkms/$name/$ver/build/make.log" ] &&
				cp "$root/var/lib/dkms/$name/$ver/build/make.log" "$log"
			not_ok "$k: DKMS builds $name/$ver"
			continue
		fi
	fi
	ko=$(ls "$root/usr/lib/modules/$k/updates/dkms/simple_dio.ko"* 2>/dev/null | head -n 1)
	ko=${ko#"$root"}
	vm=$([ -n "$ko" ] && in_tree modinfo -F vermagic "$ko" 2>/dev/null)
	check "$k: ${ko:-simple_dio.ko} installed, vermagic $k" \
		"module: ${ko:-none}, vermagic: ${vm:-none}" test "${vm%% *}" = "$k"
	# The trees hold the kernels' headers, not their images: no
	# modules.dep, and DKMS (3.x) then skips depmod on purpose.
	dep=$root/usr/lib/modules/$k/modules.dep
	if [ ! -e "$dep" ]; then
		ok "$k: modules.dep # SKIP no modules.dep in the tree (headers without the image): DKMS skips depmod"
	else
		check "$k: modules.dep lists updates/dkms/simple_dio.ko" "$(grep simple_dio "$dep")" \
			grep -q '^updates/dkms/simple_dio\.ko[^:]*:' "$dep"
	fi
done
in_tree dkms status "$name" 2>/dev/null | sed 's/^/# dkms status: /'
check "module not loaded on the host" "simple_dio is in /proc/modules" \
	eval '! grep -qs "^simple_dio " /proc/modules'

# dpkg --purge: nothing may be left in the tree.
step "$suite tree: dpkg --purge $name-dkms" in_tree dpkg --purge "$name-dkms"
left=$(leftovers)
check "$suite tree: purge left nothing (/usr/src/$name-*, /var/lib/dkms/$name, simple_dio.ko under /usr/lib/modules/*/updates, modules.dep, dkms status)" \
	"$left" test -z "$left"
exit $fail
