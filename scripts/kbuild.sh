#!/bin/bash
# Run kbuild for the module against kernel release KVER, where that
# kernel's tools run: on the host for Debian 12's kernels (headers in
# /usr/src), in a build tree of the kernel's suite for the fetched ones
# (scripts/suite-root.sh: trixie for Debian 13's +deb13 releases, sid for
# 7.x), or against KDIR when the caller names a build tree.
#
#   scripts/kbuild.sh KVER DIR [make arguments...]    e.g. W=1 modules
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kver=$1 dir=$2
shift 2
if [ -n "${KDIR:-}" ] && [ "$KDIR" != "/usr/src/linux-headers-$kver" ]; then
	exec make -C "$KDIR" M="$dir" "$@"
fi
if [ -e "/usr/src/linux-headers-$kver/Makefile" ]; then
	exec make -C "/usr/src/linux-headers-$kver" M="$dir" "$@"
fi
case "$kver" in
*+deb13[.-]*) suite=trixie ;;
[7-9].*) suite=sid ;;
*) echo "kbuild: no headers for $kver (make deps, or name KDIR)" >&2; exit 1 ;;
esac
"$top/scripts/suite-root.sh" ensure "$suite" "$kver" >&2
exec "$top/scripts/suite-root.sh" run "$suite" make -C "/usr/src/linux-headers-$kver" M="$dir" "$@"
