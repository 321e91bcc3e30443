#!/bin/bash
# Build the debug guest kernel (issue 22): Debian's linux-source-SERIES with
# x86_64 defconfig + kvm_guest.config + tests/vm/debug-kernel.config (KASAN,
# lockdep, kmemleak, fault injection, ...), built with the host's toolchain
# into a cache outside the clone, so every clone on the machine shares it:
#   $SDIO_CACHE/debug-kernel/<source version>-<config hash>/
#     src/        the build tree (the module builds against it: KDIR=src)
#     modroot/    modules_install output (lib/modules/<release>)
#     vmlinux     the ELF the guest boots (PVH entry)
#     release     the kernel release, e.g. 6.12.118-debug
#     build.log, build-seconds
# The key changes with the source package's version, the fragment or the
# recipe (bump recipe below when the steps change), so a stale build is
# never reused. An option of the fragment that
# olddefconfig drops fails the build before it compiles.
# 6.12 is bookworm's linux-source-6.12 (installed on the host); 7.3 is
# experimental's linux-source-7.3, fetched through the private apt
# (scripts/private-apt.sh download) and unpacked with dpkg -x into the
# cache, never installed. Both build with the host's gcc-12.
#
#   build-debug-kernel.sh build [SERIES]     build unless cached (default 6.12)
#   build-debug-kernel.sh dir [SERIES]       print the cache dir, fail if unbuilt
#   build-debug-kernel.sh release [SERIES]   print the kernel release, same
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cmd=${1:-build} series=${2:-6.12}
case "$cmd" in build | dir | release) ;; *)
	echo "build-debug-kernel: unknown command '$cmd' (build, dir or release)" >&2; exit 2 ;;
esac
case "$series" in 6.12 | 7.3) ;; *)
	echo "build-debug-kernel: series '$series' not supported (6.12, 7.3)" >&2; exit 2 ;;
esac
fragment=$top/tests/vm/debug-kernel.config
cache_root=${SDIO_CACHE:-/var/cache/simple-dio}/debug-kernel
pkg=linux-source-$series
recipe="defconfig kvm_guest.config fragment; vmlinux modules; v1"

if [ "$series" = 6.12 ]; then
	tarball=/usr/src/$pkg.tar.xz
	if [ ! -r "$tarball" ]; then
		[ "$cmd" = build ] || { echo "build-debug-kernel: $pkg not installed" >&2; exit 1; }
		echo "build-debug-kernel: installing $pkg" >&2
		apt-get install -y -o DPkg::Lock::Timeout=900 "$pkg" >&2
	fi
	version=$(dpkg-query -W -f '${Version}' "$pkg")
else
	# experimental's package: its version from the private apt's lists
	# (fetch-kernel.sh keeps them fresh), else the newest one built here.
	recipe+="; $pkg from experimental, dpkg -x"
	version=$("$top/scripts/private-apt.sh" cache show --no-all-versions "$pkg" 2>/dev/null |
		sed -n 's/^Version: //p' | head -n 1 || true)
	if [ -z "$version" ]; then
		[ "$cmd" = build ] && "$top/scripts/private-apt.sh" update >&2
		version=$("$top/scripts/private-apt.sh" cache show --no-all-versions "$pkg" 2>/dev/null |
			sed -n 's/^Version: //p' | head -n 1 || true)
	fi
fi
hash=$( (echo "$recipe"; cat "$fragment") | sha256sum | cut -c1-12)
if [ -z "$version" ]; then
	last=$(find "$cache_root" -maxdepth 2 -path "*/${series}*-$hash/done" 2>/dev/null | sort -V | tail -n 1)
	[ -n "$last" ] || { echo "build-debug-kernel: no version of $pkg known (private apt lists missing)" >&2; exit 1; }
	version=$(basename "$(dirname "$last")")
	version=${version%-"$hash"}
fi
dir=$cache_root/$version-$hash

if [ -e "$dir/done" ]; then
	case "$cmd" in
	dir) echo "$dir" ;;
	release) cat "$dir/release" ;;
	build) echo "build-debug-kernel: cached $(cat "$dir/release") in $dir" \
		"(built in $(cat "$dir/build-seconds")s)" ;;
	esac
	exit 0
fi
[ "$cmd" = build ] || { echo "build-debug-kernel: no debug kernel built for $pkg $version (make debug-kernel)" >&2; exit 1; }

mkdir -p "$cache_root"
# One build at a time per key; a second caller waits for the first.
exec 9>"$dir.lock"
flock 9
[ -e "$dir/done" ] && exec "$0" build "$series"
rm -rf "$dir"
mkdir -p "$dir"
log=$dir/build.log
start=$(date +%s)
echo "build-debug-kernel: $pkg $version into $dir (log: $log; $(gcc --version | head -n 1))"
if [ "$series" != 6.12 ]; then
	# Fetched and unpacked into the cache dir, never installed.
	echo "build-debug-kernel: fetching $pkg $version (private apt, experimental)"
	mkdir -p "$dir/deb"
	(cd "$dir/deb" && "$top/scripts/private-apt.sh" download "$pkg=$version") >>"$log" 2>&1 ||
		{ tail -n 5 "$log" >&2; echo "build-debug-kernel: cannot fetch $pkg $version" >&2; exit 1; }
	dpkg -x "$dir"/deb/"$pkg"_*.deb "$dir/deb/root"
	tarball=$dir/deb/root/usr/src/$pkg.tar.xz
fi
echo "build-debug-kernel: unpacking $tarball"
tar -xf "$tarball" -C "$dir"
rm -rf "$dir/deb"
mv "$dir/$pkg" "$dir/src"
src=$dir/src

echo "build-debug-kernel: configuring (defconfig + kvm_guest.config + $(basename "$fragment"))"
{
	make -C "$src" -s defconfig
	"$src/scripts/kconfig/merge_config.sh" -m -O "$src" "$src/.config" \
		"$src/kernel/configs/kvm_guest.config" "$fragment"
	make -C "$src" -s olddefconfig
} >>"$log" 2>&1
dropped=0
while read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qxF "$line" "$src/.config" || {
			echo "build-debug-kernel: $line dropped by olddefconfig" \
				"(got: $(grep "^${line%%=*}=" "$src/.config" || echo unset))" >&2
			dropped=1
		} ;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }; opt=${opt%% *}
		! grep -q "^$opt=" "$src/.config" || {
			echo "build-debug-kernel: $opt asked off, still $(grep "^$opt=" "$src/.config")" >&2
			dropped=1
		} ;;
	esac
done <"$fragment"
[ "$dropped" = 0 ] || { echo "build-debug-kernel: config check failed" >&2; exit 1; }

# Progress: one line a minute with the objects built so far.
echo "build-debug-kernel: compiling (nice -n 10, -j$(nproc)); this takes a while"
nice -n 10 make -C "$src" -j"$(nproc)" vmlinux modules >>"$log" 2>&1 &
mpid=$!
( while kill -0 "$mpid" 2>/dev/null; do
	sleep 60
	echo "build-debug-kernel: $(( ($(date +%s) - start) / 60 )) min," \
		"$(grep -c '^  CC' "$log" || true) files compiled"
done ) &
ppid=$!
mrc=0
wait "$mpid" || mrc=$?
kill "$ppid" 2>/dev/null || true
wait "$ppid" 2>/dev/null || true
[ "$mrc" = 0 ] || { tail -n 20 "$log" >&2; echo "build-debug-kernel: build failed (see $log)" >&2; exit 1; }
# The release is known once the build wrote include/config (-debug suffix).
release=$(cat "$src/include/config/kernel.release")
make -C "$src" -s modules_install INSTALL_MOD_PATH="$dir/modroot" >>"$log" 2>&1
cp "$src/vmlinux" "$dir/vmlinux"
echo "$release" >"$dir/release"
echo $(( $(date +%s) - start )) >"$dir/build-seconds"
touch "$dir/done"
echo "build-debug-kernel: $release built in $(cat "$dir/build-seconds")s: $dir"
