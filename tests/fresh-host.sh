#!/bin/bash
# The README's two commands on a fresh Debian 13 machine (issue 23), in a
# fresh trixie system made by mmdebstrap (build/fresh-trixie-root):
# --variant=important, i.e. what a Debian 13 install has when the
# installer's software selection is left empty (Priority required and
# important), plus git and make, which the README's user installs to get
# and run the repository; apt sources as the installer writes them (trixie,
# trixie-updates, trixie-security). With /proc, /sys, /dev and a fresh /run
# mounted, the repository's committed HEAD is cloned into /root/simple-dio
# and run there as root, as on the machine itself:
#
#   1. make demo: installs its packages, builds only what it boots (trixie's
#      own 6.12 there), boots it in QEMU (TCG) and prints the table;
#   2. make deps KSERIES_7X=: every package make check installs (the names
#      exist on Debian 13) without fetching the 7.x kernels;
#   3. make KSERIES_7X= build: the module (W=1, trixie's gcc-14), diobench,
#      the guest binaries and image;
#   4. the host tools' ctest and the guest part of make check on the
#      reference kernel, a subset: FRESH_TESTS (default skeleton
#      differential fallback toggles), one guest at a time.
#
# Not run there: the rest of make check's host part (W=1 and sparse for
# the other kernels, checkpatch, packaging, clang-tidy), the 7.x kernels and
# the guest suite's long tests. One "ok - ..." / "not ok - ..." line per
# step with its time; everything the steps print goes to
# build/fresh-trixie.log. The guests' timeouts are three times make
# check's and the demo's (FRESH_TIMEOUT, default 2700 s): check-all runs
# this beside nothing, but a developer's machine may be shared. The tree (about 3 GB) is removed afterwards unless
# FRESH_KEEP=1. Root; needs mmdebstrap (make deps) and the network to
# Debian's archive. Took about an hour on the shared 2-core machine (load
# 13), package installs included.
#
#   tests/fresh-host.sh                       # TAP lines
#   FRESH_TESTS="skeleton" FRESH_KEEP=1 tests/fresh-host.sh
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
[ "$(id -u)" = 0 ] || { echo "fresh-host: must run as root" >&2; exit 2; }
command -v mmdebstrap >/dev/null || { echo "fresh-host: no mmdebstrap (make deps installs it)" >&2; exit 2; }
git -C "$top" rev-parse --verify -q HEAD >/dev/null ||
	{ echo "fresh-host: $top is not a git clone with a commit to clone" >&2; exit 2; }
tests=${FRESH_TESTS:-skeleton differential fallback toggles}
tmo=${FRESH_TIMEOUT:-2700}
[[ "$tmo" =~ ^[1-9][0-9]*$ ]] || { echo "fresh-host: FRESH_TIMEOUT must be seconds, not '$tmo'" >&2; exit 2; }
for t in $tests; do
	[ -f "$top/tests/guest/$t.sh" ] || { echo "fresh-host: no guest test $t (FRESH_TESTS)" >&2; exit 2; }
done
mirror=${SDIO_APT_MIRROR:-http://deb.debian.org/debian}
security=${SDIO_APT_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
key='[signed-by=/usr/share/keyrings/debian-archive-keyring.gpg]'
root=$top/build/fresh-trixie-root
clone=/root/simple-dio
full=$top/build/fresh-trixie.log
log=$(mktemp) fail=0
. "$top/scripts/tap.sh"
mkdir -p "$top/build"
: >"$full"
exec 9>"$top/build/fresh-trixie.lock"
flock 9
trap 'rm -f "$log"; [ "${FRESH_KEEP:-0}" = 1 ] || rm -rf "$root"' EXIT

# in_root CMD: a login-like root shell in the tree, at the clone, with the
# machine's mounts a booted system has; they die with the command.
in_root() {
	unshare --mount --propagation private -- /bin/bash -c '
		set -e
		root=$1
		shift
		mount -t proc proc "$root/proc"
		mount -t sysfs sysfs "$root/sys"
		mount --rbind /dev "$root/dev"
		mount -t tmpfs tmpfs "$root/run"
		mkdir -p "$root/run/lock"
		exec chroot "$root" /usr/bin/env -i HOME=/root LANG=C.UTF-8 TERM=dumb \
			PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
			/bin/bash -c "$1"
	' sh "$root" "$1"
}
# timed "description" CMD: step with the time it took, its output kept.
timed() {
	local what=$1 t0 rc
	shift
	t0=$(date +%s)
	echo "== $what" >>"$full"
	"$@" >"$log" 2>&1
	rc=$?
	cat "$log" >>"$full"
	if [ $rc = 0 ]; then ok "$what ($(( $(date +%s) - t0 )) s)"
	else not_ok "$what ($(( $(date +%s) - t0 )) s, exit $rc)"; fi
	return $rc
}

rm -rf "$root"
timed "mmdebstrap --variant=important --include=git,make trixie (a fresh Debian 13)" \
	mmdebstrap --variant=important --include=git,make \
	--aptopt='Acquire::Check-Valid-Until "false"' \
	trixie "$root" "deb $key $mirror trixie main" "deb $key $mirror trixie-updates main" \
	"deb $key $security trixie-security main" || exit 1
# The network a fresh install has: the machine's resolver.
cp /etc/resolv.conf "$root/etc/resolv.conf"
echo "# $(cat "$root/etc/debian_version" 2>&1), $(chroot "$root" dpkg-query -f . -W | wc -c) packages"
timed "git clone of $(git -C "$top" rev-parse --short HEAD) into $clone" \
	git clone -q "$top" "$root$clone" || exit 1

# 1. make demo, and its table: a gain for both file systems on t/io_uring.
if timed "make demo" in_root "cd $clone && DEMO_TIMEOUT=$tmo make demo"; then
	grep -E '^(fs|ext4|xfs) +(workload|io_uring|t-io_uring-p0) ' "$log" | sed 's/^/# /'
	rows=$(grep -cE '^(ext4|xfs) +t-io_uring-p0 +[0-9,]+ +[0-9,]+ +[+-][0-9.]+%$' "$log")
	check "make demo printed t/io_uring -p0 rows for ext4 and xfs" "rows: $rows" test "$rows" = 2
fi
# 2.-3. The rest of make check's packages, then everything it builds for
# the reference kernel.
timed "make deps KSERIES_7X= (every package make check installs)" \
	in_root "cd $clone && make deps KSERIES_7X=" || exit 1
timed "make KSERIES_7X= build (module W=1, tools, guest image)" \
	in_root "cd $clone && make --no-print-directory KSERIES_7X= build" || exit 1
kver=$(in_root "cd $clone && scripts/pick-kernel.sh")
echo "# reference kernel: $kver"
# 4. ctest, then the guest tests, one at a time.
timed "ctest (tools)" in_root "cd $clone && ctest --test-dir build/tools -j2"
for t in $tests; do
	timed "guest $t@$kver" in_root "cd $clone && tests/vm/run.sh --timeout $tmo --name $t@fresh-trixie $t"
	grep -E '^guest .*: [0-9]+ passed, [0-9]+ failed' "$log" | sed 's/^/# /'
done
exit $fail
