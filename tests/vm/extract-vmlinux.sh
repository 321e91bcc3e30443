#!/bin/bash
# Extract the uncompressed ELF vmlinux from a Debian bzImage.
# TCG boots it through the PVH entry point with -kernel; the bzImage itself
# does not boot under TCG here. Debian's 6.12 payload is zstd (magic
# 28 b5 2f fd), 6.1's is xz (fd 37 7a 58 5a 00); gzip (1f 8b 08) is tried
# last. Find each magic and decompress from there until an ELF comes out.
# An ELF given as input (the debug kernel's own vmlinux) is copied.
#
#   extract-vmlinux.sh /boot/vmlinuz-KVER OUT
set -euo pipefail
in=$1 out=$2
[ -r "$in" ] || { echo "extract-vmlinux: cannot read $in" >&2; exit 1; }
if [ "$(head -c 4 "$in" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
	cp "$in" "$out"
	exit 0
fi
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
# magic (grep -P) and decompressor reading stdin; trailing bytes after the
# payload make some of them exit non-zero, so the ELF check decides.
formats=('\x28\xb5\x2f\xfd|zstd -dq'
	'\xfd\x37\x7a\x58\x5a\x00|xz -dcq --single-stream'
	'\x1f\x8b\x08|gzip -dcq')
for f in "${formats[@]}"; do
	magic=${f%%|*} unpack=${f#*|}
	for off in $(LC_ALL=C grep -obUaP "$magic" "$in" | cut -d: -f1); do
		tail -c +"$((off + 1))" "$in" | $unpack 2>/dev/null >"$tmp" || true
		if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			mv "$tmp" "$out"
			exit 0
		fi
	done
done
echo "extract-vmlinux: no zstd, xz or gzip ELF payload found in $in" >&2
exit 1
