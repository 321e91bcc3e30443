#!/bin/bash
# Build the guest's initramfs: busybox, the kernel modules the tests need
# (resolved from the kernel's own modules.dep, decompressed), fio, mkfs.ext4,
# mkfs.xfs and friends with their shared libraries, our module, our binaries
# and the guest test scripts. The archive is left uncompressed: under TCG the
# guest would spend longer inflating it than it takes to copy.
#
#   build-initramfs.sh KVER OUT.cpio KO BINDIR...
set -euo pipefail
kver=$1 out=$2 ko=$3
shift 3
top=$(cd "$(dirname "$0")/../.." && pwd)
root=$(mktemp -d "${TMPDIR:-/tmp}/sdio-initramfs.XXXXXX")
trap 'rm -rf "$root"' EXIT

# Modules the guest tests load, by name; their dependencies come from
# modules.dep. crc32c drivers are soft dependencies of ext4/xfs up to 6.x;
# 7.x builds crc32c in, so those two are optional.
modules=(null_blk ext4 xfs loop dm-mod dm-flakey dm-log-writes configfs brd)
optional_modules=(crc32c_generic crc32c-intel)

mkdir -p "$root"/{bin,sbin,dev,proc,sys,tmp,mnt,run,lib64,sdio/bin,sdio/tests}
mkdir -p "$root/lib/modules/$kver"
cp /usr/bin/busybox "$root/bin/busybox"
for app in $("$root/bin/busybox" --list); do
	[ -e "$root/bin/$app" ] || ln -s busybox "$root/bin/$app"
done
# The kernel's request_module() runs /sbin/modprobe.
ln -s ../bin/busybox "$root/sbin/modprobe"

copy_with_libs() {
	local bin=$1 dest=$2 lib
	install -D -m 0755 "$bin" "$root$dest"
	for lib in $(ldd "$bin" 2>/dev/null | grep -o '/[^ ]*' | sort -u); do
		[ -e "$root$lib" ] || install -D -m 0755 "$(readlink -f "$lib")" "$root$lib"
	done
}

for tool in fio mkfs.ext4 mkfs.xfs xfs_io losetup dmsetup filefrag fallocate \
	blockdev blkdiscard e2fsck xfs_repair; do
	path=$(command -v "$tool" || true)
	[ -n "$path" ] || { echo "build-initramfs: $tool not found" >&2; exit 1; }
	copy_with_libs "$path" "/usr/sbin/$tool"
done
# mke2fs needs its config for the ext4 feature set.
install -D -m 0644 /etc/mke2fs.conf "$root/etc/mke2fs.conf"

# MODROOT: where a kernel that is not installed keeps lib/modules (the
# 7.x kernels unpacked by scripts/fetch-kernel.sh).
modroot=${MODROOT:-}
moddir=/lib/modules/$kver
[ -e "$modroot$moddir/modules.dep" ] || { echo "build-initramfs: no $modroot$moddir/modules.dep" >&2; exit 1; }
modinfo=(modinfo -k "$kver")
[ -n "$modroot" ] && modinfo+=(-b "$modroot")
declare -A seen=()
resolve() {
	local name=$1 path deps dep
	path=$("${modinfo[@]}" -n "$name" 2>/dev/null) ||
		{ echo "build-initramfs: module $name not found for $kver" >&2; exit 1; }
	[ "$path" = "(builtin)" ] && return 0
	[ -n "${seen[$path]:-}" ] && return 0
	seen[$path]=1
	deps=$("${modinfo[@]}" -F depends "$name" | tr ',' ' ')
	for dep in $deps; do resolve "$dep"; done
	local rel=${path#"$modroot$moddir"/} dst
	dst="$root$moddir/${rel%.xz}"
	mkdir -p "$(dirname "$dst")"
	case "$path" in
	*.xz) xz -dc "$path" >"$dst" ;;
	*.zst) zstd -dqc "$path" >"$dst" ;;
	*) cp "$path" "$dst" ;;
	esac
}
for m in "${modules[@]}"; do resolve "$m"; done
for m in "${optional_modules[@]}"; do
	"${modinfo[@]}" -n "$m" >/dev/null 2>&1 && resolve "$m"
done
cp "$modroot$moddir"/modules.{order,builtin,builtin.modinfo} "$root$moddir/" 2>/dev/null || true
depmod -b "$root" "$kver"

install -m 0644 "$ko" "$root/sdio/simple_dio.ko"
for d in "$@"; do
	for b in "$d"/*; do
		[ -f "$b" ] && [ -x "$b" ] && copy_with_libs "$b" "/sdio/bin/$(basename "$b")"
	done
done
cp -r "$top"/tests/guest/. "$root/sdio/tests/"
cp -r "$top"/fio-jobs "$root/sdio/fio-jobs"
cp "$top/scripts/simple-dio-unload" "$root/sdio/bin/"
install -m 0755 "$top/tests/vm/init" "$root/init"

(cd "$root" && find . -print0 | cpio --null -o -H newc --quiet) >"$out.tmp"
mv "$out.tmp" "$out"
echo "initramfs: $out ($(du -h "$out" | cut -f1))"
