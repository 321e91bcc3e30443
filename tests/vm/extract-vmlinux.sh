#!/bin/bash
# Extract the uncompressed ELF vmlinux from a Debian bzImage.
# TCG boots it through the PVH entry point with -kernel; the bzImage itself
# does not boot under TCG here. The payload is zstd: find its magic
# (28 b5 2f fd) and decompress from there.
#
#   extract-vmlinux.sh /boot/vmlinuz-KVER OUT
set -euo pipefail
in=$1 out=$2
[ -r "$in" ] || { echo "extract-vmlinux: cannot read $in" >&2; exit 1; }
tmp="$out.tmp.$$"
trap 'rm -f "$tmp"' EXIT
for off in $(LC_ALL=C grep -obUaP '\x28\xb5\x2f\xfd' "$in" | cut -d: -f1); do
	if tail -c +"$((off + 1))" "$in" | zstd -dq 2>/dev/null >"$tmp" ||
		[ -s "$tmp" ]; then
		if [ "$(head -c 4 "$tmp" | od -An -tx1 | tr -d ' ')" = 7f454c46 ]; then
			mv "$tmp" "$out"
			exit 0
		fi
	fi
done
echo "extract-vmlinux: no zstd ELF payload found in $in" >&2
exit 1
