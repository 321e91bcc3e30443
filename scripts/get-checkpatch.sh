#!/bin/bash
# Extract just what checkpatch.pl needs from Debian's linux-source-6.12
# tarball into OUT (default build/checkpatch); prints the script's path.
set -euo pipefail
out=${1:-$(cd "$(dirname "$0")/.." && pwd)/build/checkpatch}
if [ ! -x "$out/scripts/checkpatch.pl" ]; then
	tarball=$(ls /usr/src/linux-source-6.12.tar.* 2>/dev/null | head -n 1)
	[ -n "$tarball" ] || { echo "get-checkpatch: install linux-source-6.12" >&2; exit 1; }
	mkdir -p "$out"
	top=$(basename "$tarball" | sed "s/\.tar\..*//")
	tar -xf "$tarball" -C "$out" --strip-components=1 \
		"$top/scripts/checkpatch.pl" "$top/scripts/spelling.txt" \
		"$top/scripts/const_structs.checkpatch"
fi
echo "$out/scripts/checkpatch.pl"
