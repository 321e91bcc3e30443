#!/bin/bash
# Debian's 7.x kernels from sid and experimental, without installing them:
# downloaded through scripts/private-apt.sh and unpacked under
# build/kernels/RELEASE (vmlinuz, modules with a fresh modules.dep, config,
# System.map). Their headers live in the sid build tree (sid-root.sh).
#
#   scripts/fetch-kernel.sh pick 7.3      # newest 7.3 release: 7.3-amd64 today
#   scripts/fetch-kernel.sh fetch 7.3-amd64
#
# pick takes the highest package version of the series' flavour-less amd64
# images in either suite, so 7.3 moving from experimental (7.3-amd64) to sid
# (7.3.N+deb14-amd64) or 7.2 leaving sid needs no change here.
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
apt=$top/scripts/private-apt.sh
kroot=$top/build/kernels

lists_fresh() {
	local stamp=$top/build/apt/update-stamp
	[ -e "$stamp" ] && [ -z "$(find "$stamp" -mmin +720)" ] && return 0
	"$apt" update >/dev/null && touch "$stamp"
}

pick() { # pick SERIES
	local series=$1 re best="" bestv="" p v
	local cached=$kroot/pick-$series
	re="^linux-image-${series//./\\.}([.][0-9]+)?(\\+deb[0-9]+)?-amd64\$"
	lists_fresh
	# The answer holds as long as the lists it came from.
	if [ -s "$cached" ] && [ "$cached" -nt "$top/build/apt/update-stamp" ]; then
		cat "$cached"
		return 0
	fi
	for p in $("$apt" cache pkgnames "linux-image-$series" | grep -E "$re"); do
		v=$("$apt" cache show "$p" | sed -n 's/^Version: //p' | sort -V | tail -n 1)
		"$apt" cache show "${p/linux-image-/linux-headers-}" >/dev/null 2>&1 || continue
		if [ -z "$bestv" ] || dpkg --compare-versions "$v" gt "$bestv"; then
			best=${p#linux-image-} bestv=$v
		fi
	done
	[ -n "$best" ] || { echo "fetch-kernel: no $series amd64 image with headers in sid or experimental" >&2; return 1; }
	mkdir -p "$kroot" && echo "$best" >"$cached"
	echo "$best"
}

fetch() { # fetch RELEASE
	local rel=$1 dir=$kroot/$1 dl p
	[ -e "$dir/.complete" ] && return 0
	lists_fresh
	rm -rf "$dir" && mkdir -p "$dir"
	dl=$(mktemp -d "$top/build/apt/dl.XXXXXX")
	for p in linux-binary linux-modules linux-base; do
		(cd "$dl" && "$apt" download "$p-$rel" >/dev/null)
	done
	for p in "$dl"/*.deb; do dpkg -x "$p" "$dir"; done
	rm -rf "$dl"
	# 7.x keeps everything under usr/lib/modules and ships no modules.dep.
	[ -e "$dir/usr/lib/modules/$rel/vmlinuz" ] || { echo "fetch-kernel: no vmlinuz in $rel's packages" >&2; return 1; }
	depmod -b "$dir/usr" "$rel"
	touch "$dir/.complete"
	echo "fetch-kernel: $rel in ${dir#"$top"/}"
}

case "${1:-}" in
pick) pick "$2" ;;
fetch) fetch "$2" ;;
*) echo "usage: fetch-kernel.sh pick SERIES | fetch RELEASE" >&2; exit 2 ;;
esac
